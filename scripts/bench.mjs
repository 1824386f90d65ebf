// Benchmarks in headless Chromium on localhost, side by side with the alternatives, in one run.
// Writes bench/results.json and BENCHMARKS.md. Every figure is the median of at least 5 runs,
// with min and max. Nothing here fails on time. `npm run bench [-- --quick] [-- --only=page,lab]`
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { launch } from "./browser.mjs";
import { output, root } from "./lib.mjs";
import { serve } from "./serve.mjs";
import { distDir } from "./dist.mjs";
import { sizes } from "./size.mjs";

const QUICK = process.argv.includes("--quick");
const RUNS = 5;
const LAB_NS = QUICK ? [1e3, 1e5, 1e6] : [1e3, 1e5, 1e6, 1e7];

export function stats(xs) {
  const s = [...xs].filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), min: s[0], max: s.at(-1), runs: s.length };
}

const fmt = (x) =>
  x === null || x === undefined ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const cell = (st, unit) =>
  st ? `${fmt(st.median)}${unit ? ` ${unit}` : ""} (${fmt(st.min)}–${fmt(st.max)})` : "—";
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : "—");

async function blankPage(browser, url) {
  const page = await browser.newPage();
  await page.route(`${url}/__bench.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: "<!doctype html><title>bench</title>" }),
  );
  await page.goto(`${url}/__bench.html`);
  return page;
}

/** layout() cost per call from JS, across scenarios and n up to 10**12. */
async function benchLayout(browser, url) {
  const page = await blankPage(browser, url);
  const rows = await page.evaluate(async (RUNS) => {
    const m = await import("/www/pkg/boxed_vs_packed.js");
    await m.default();
    const cases = [
      ["list_append ints", { container: "list_append", values: { kind: "int_range", start: 0 } }],
      ["list_range floats", { container: "list_range", values: { kind: "float_range", start: 0 } }],
      ["tuple int_mod", { container: "tuple", values: { kind: "int_mod", k: 1000 } }],
      ["array q", { container: "array", typecode: "q", values: { kind: "int_range", start: 0 } }],
      ["ndarray uint64", { container: "ndarray", dtype: "uint64", values: { kind: "constant", value: 0 } }],
    ];
    const out = [];
    for (const [name, base] of cases) {
      for (const n of [1e3, 1e6, 1e9, 1e12]) {
        const s = { ...base, n, profile: "cpython-3.12" };
        for (let i = 0; i < 3000; i++) m.layout(s); // warm up (JIT)
        const per = [];
        for (let r = 0; r < RUNS; r++) {
          const calls = 2000;
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) m.layout(s);
          per.push(((performance.now() - t0) * 1000) / calls);
        }
        out.push({ name, n, perCallUs: per });
      }
    }
    return out;
  }, RUNS);
  await page.close();
  return rows.map((r) => ({ ...r, perCallUs: stats(r.perCallUs) }));
}

// list(range(n)): the same construction as the CPython and Pyodide figures it sits next to.
const LIST = (profile) => ({ container: "list_range", values: { kind: "int_range", start: 0 }, profile });
const ARANGE = {
  container: "ndarray",
  dtype: "uint64",
  values: { kind: "int_range", start: 0 },
  profile: "cpython-3.12",
};

/** Lab configurations: what is built, with which allocator, for which n. */
function labConfigs() {
  return [
    ...LAB_NS.map((n) => ({
      label: "list of ints, 3.12 layout",
      allocator: "cpython",
      s: { ...LIST("cpython-3.12"), n },
    })),
    ...LAB_NS.map((n) => ({
      label: "list of ints, 3.12 layout",
      allocator: "rust",
      s: { ...LIST("cpython-3.12"), n },
    })),
    ...LAB_NS.filter((n) => n <= 1e6).map((n) => ({
      label: "list of ints, wasm32 layout (Pyodide's)",
      allocator: "cpython",
      s: { ...LIST("wasm32"), n },
    })),
    ...LAB_NS.map((n) => ({ label: "np.arange uint64 (packed)", allocator: "cpython", s: { ...ARANGE, n } })),
  ];
}

/** The lab in a fresh worker per run, through the page's own client. */
async function benchLab(browser, url) {
  const page = await blankPage(browser, url);
  const out = [];
  for (const { label, allocator, s } of labConfigs()) {
    const times = await page.evaluate(
      async ({ s, allocator, runs }) => {
        const { runLab } = await import("/www/lab/client.js");
        const all = [];
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          const res = await runLab(s, { allocator });
          all.push({ ...res.timesMs, wall: performance.now() - t0, equal: res.equal.requested });
        }
        return all;
      },
      { s, allocator, runs: RUNS },
    );
    const pick = (k) => stats(times.map((t) => t[k]));
    out.push({
      label,
      allocator,
      profile: s.profile,
      container: s.container,
      n: s.n,
      equal: times.every((t) => t.equal),
      buildBoxed: pick("buildBoxed"),
      buildPacked: pick("buildPacked"),
      traverseBoxed: pick("traverseBoxed"),
      traversePacked: pick("traversePacked"),
      traverseShuffled: pick("traverseShuffled"),
      freeBoxed: pick("freeBoxed"),
      commit: pick("commit"),
      warmUp: pick("warmUp"),
      wall: pick("wall"),
    });
    const x = out.at(-1);
    console.log(
      `  ${label}, ${allocator}, n=${s.n}: boxed ${fmt(x.buildBoxed.median)} ms, packed ${fmt(x.buildPacked.median)} ms`,
    );
  }
  await page.close();
  return out;
}

/** Long main-thread tasks while the page runs a 10**7 lab (PerformanceObserver longtask). */
async function benchLongTasks(browser, distUrl) {
  const page = await browser.newPage();
  await page.goto(`${distUrl}/index.html?n=10000000`);
  await page.waitForSelector("body[data-ready=true]");
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({
      type: "longtask",
      buffered: false,
    });
  });
  const t0 = Date.now();
  await page.locator("boxed-vs-packed").getByRole("button", { name: "Run the lab" }).click();
  await page
    .locator("boxed-vs-packed .lab-status")
    .filter({ hasText: "Measured" })
    .waitFor({ timeout: 300000 });
  const wallMs = Date.now() - t0;
  const long = await page.evaluate(() => window.__long);
  await page.close();
  return { n: 1e7, wallMs, longTasks: long.length, maxTaskMs: long.length ? Math.max(...long) : 0 };
}

/**
 * The hosted page (dist/), a fresh browser context per run: navigation to the first complete
 * render (the explorer drawn and the story's numbers filled: performance marks the page sets),
 * then the work each n-slider step costs (state, layout(), redraw of every model panel), and
 * the synchronous cost of a hover over each chart, up to its tooltip.
 */
async function benchPage(browser, distUrl) {
  const firstRender = [];
  const loadEvent = [];
  let slider = [];
  let frameLatency = [];
  const hover = { flame: [], series: [], bars: [] };
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${distUrl}/index.html`);
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForFunction(() => performance.getEntriesByName("bvp:first-render").length > 0);
    const t = await page.evaluate(() => ({
      render: Math.max(
        performance.getEntriesByName("bvp:first-render")[0].startTime,
        performance.getEntriesByName("bvp:story-ready")[0].startTime,
      ),
      load: performance.getEntriesByType("navigation")[0].loadEventEnd,
    }));
    firstRender.push(t.render);
    loadEvent.push(t.load);
    if (run === 0) {
      // Sixty slider steps across the range: the synchronous work of each (input → state →
      // layout() → every model panel redrawn), and the latency to the frame that shows it.
      const r = await page.evaluate(async () => {
        const w = document.querySelector("boxed-vs-packed");
        const s = w.shadowRoot.querySelector("input[type=range]");
        let work = 0;
        const wrap = (name) => {
          const f = w[name].bind(w);
          w[name] = (...a) => {
            const t0 = performance.now();
            const v = f(...a);
            work += performance.now() - t0;
            return v;
          };
        };
        wrap("update");
        wrap("render");
        const works = [];
        const latencies = [];
        for (let i = 0; i < 60; i++) {
          work = 0;
          const t0 = performance.now();
          const done = new Promise((ok) => w.addEventListener("render", ok, { once: true }));
          s.value = String(Math.round(((i * 37) % 60) * 15));
          s.dispatchEvent(new Event("input", { bubbles: true }));
          await done;
          latencies.push(performance.now() - t0);
          works.push(work);
        }
        return { works, latencies };
      });
      slider = r.works;
      frameLatency = r.latencies;
      for (const panel of Object.keys(hover)) {
        hover[panel] = await page.evaluate((panel) => {
          const w = document.querySelector("boxed-vs-packed");
          const c = w.shadowRoot.querySelector(`section.${panel} canvas.main`);
          c.scrollIntoView();
          const box = c.getBoundingClientRect();
          const out = [];
          for (let i = 0; i < 200; i++) {
            const x = box.left + (((i * 97) % 100) / 100) * box.width;
            const y = box.top + (0.15 + ((i * 31) % 70) / 100) * box.height;
            const t0 = performance.now();
            c.dispatchEvent(new PointerEvent("pointermove", { clientX: x, clientY: y, bubbles: true }));
            out.push(performance.now() - t0);
          }
          return out;
        }, panel);
      }
    }
    await context.close();
  }
  return {
    firstRenderMs: stats(firstRender),
    loadEventMs: stats(loadEvent),
    sliderStepWorkMs: stats(slider),
    sliderStepToFrameMs: stats(frameLatency),
    hoverMs: Object.fromEntries(Object.entries(hover).map(([k, v]) => [k, stats(v)])),
  };
}

/** CPython on this machine: list(range(n)), the append loop, np.arange (build only). */
function benchCPython() {
  const python = process.env.PYTHON ?? "python3";
  const script = `
import json, sys, timeit
res = {"python": sys.version.split()[0], "rows": []}
try:
    import numpy as np
    res["numpy"] = np.__version__
except ImportError:
    np = None
for n in ${JSON.stringify(LAB_NS)}:
    n = int(n)
    def app():
        x = []
        for i in range(n):
            x.append(i)
        return x
    runs = ${RUNS}
    row = {"n": n,
           "list_range": [t * 1000 for t in timeit.repeat("x = list(range(n))", globals={"n": n}, number=1, repeat=runs)],
           "append_loop": [t * 1000 for t in timeit.repeat("x = app()", globals={"app": app}, number=1, repeat=runs)]}
    if np is not None:
        row["np_arange"] = [t * 1000 for t in timeit.repeat("x = np.arange(n, dtype=np.uint64)", globals={"n": n, "np": np}, number=1, repeat=runs)]
    res["rows"].append(row)
print(json.dumps(res))
`;
  try {
    const r = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 }));
    return {
      python: r.python,
      numpy: r.numpy ?? null,
      rows: r.rows.map((x) => ({
        n: x.n,
        listRange: stats(x.list_range),
        appendLoop: stats(x.append_loop),
        npArange: x.np_arange ? stats(x.np_arange) : null,
      })),
    };
  } catch (e) {
    return { skipped: `python3 not available (${e.message.split("\n")[0]})` };
  }
}

/** Real CPython compiled to wasm (npm pyodide), in the same browser: load, then list(range(n)). */
async function benchPyodide(browser, url) {
  const page = await blankPage(browser, url);
  page.setDefaultTimeout(600000);
  const r = await page.evaluate(
    async ({ ns, runs }) => {
      const { loadPyodide } = await import("/node_modules/pyodide/pyodide.mjs");
      const t0 = performance.now();
      const py = await loadPyodide({ indexURL: "/node_modules/pyodide/" });
      const loadMs = performance.now() - t0;
      const rows = [];
      for (const n of ns.filter((n) => n <= 1e6)) {
        const t = JSON.parse(
          py.runPython(
            `import json, timeit; n = ${n}; json.dumps([t * 1000 for t in timeit.repeat("x = list(range(n))", globals={"n": n}, number=1, repeat=${runs})])`,
          ),
        );
        rows.push({ n, listRange: t });
      }
      return { loadMs, version: py.version, rows };
    },
    { ns: LAB_NS, runs: RUNS },
  );
  await page.close();
  return {
    version: r.version,
    loadMs: r.loadMs,
    rows: r.rows.map((x) => ({ n: x.n, listRange: stats(x.listRange) })),
  };
}

/** The lab's own code compiled natively (examples/lab_native.rs). */
function benchNative() {
  try {
    execFileSync("cargo", ["build", "--release", "--quiet", "--example", "lab_native"], {
      cwd: root,
      stdio: "inherit",
    });
  } catch {
    return { skipped: "cargo build of the native example failed" };
  }
  const rows = [];
  for (const n of LAB_NS) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      // glibc would hand the run's committed memory back to the kernel (mmap/trim) and the
      // build would then time page faults the browser runs do not: keep it in the heap.
      const out = execFileSync(
        join(root, "target/release/examples/lab_native"),
        [String(n), "cpython-3.12", "list_range"],
        {
          encoding: "utf8",
          env: { ...process.env, MALLOC_MMAP_MAX_: "0", MALLOC_TRIM_THRESHOLD_: String(2 ** 40) },
        },
      );
      runs.push(JSON.parse(out));
    }
    rows.push({
      n,
      buildBoxed: stats(runs.map((x) => x.buildBoxed)),
      buildPacked: stats(runs.map((x) => x.buildPacked)),
      traverseBoxed: stats(runs.map((x) => x.traverseBoxed)),
      traversePacked: stats(runs.map((x) => x.traversePacked)),
    });
  }
  return { rows };
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: (output("/usr/bin/chromium", ["--version"]) ?? "unknown").trim(),
    date: new Date().toISOString(),
  };
}

/** Headline figures of a results object, for the before/after table. */
function headline(r) {
  const wasm = r.sizes.find((s) => s.file.endsWith(".wasm"));
  const total = r.sizes.find((s) => s.file === "total");
  const layoutMedians = r.layout.map((x) => x.perCallUs.median);
  return [
    ["wasm, raw", `${wasm.raw} B`],
    ["wasm, gzip", `${wasm.gzip} B`],
    ["wasm, brotli", `${wasm.brotli} B`],
    ["dist/ total, gzip", `${total.gzip} B`],
    ["dist/ total, brotli", `${total.brotli} B`],
    ["layout() per call, median of the slowest case", `${fmt(Math.max(...layoutMedians))} µs`],
    [
      "layout() per call, median over the cases",
      `${fmt(layoutMedians.sort((a, b) => a - b)[layoutMedians.length >> 1])} µs`,
    ],
    ["first complete render, median", `${fmt(r.page?.firstRenderMs?.median)} ms`],
    ["n slider step, p95", `${fmt(r.page?.sliderStepWorkMs?.p95)} ms`],
    [
      "hover to tooltip, p95 (slowest panel)",
      `${fmt(Math.max(...Object.values(r.page?.hoverMs ?? {}).map((v) => v.p95)))} ms`,
    ],
  ];
}

/**
 * bench/baseline.json is the last run before a change worth comparing against (now: the
 * hand-written JSON boundary and canvas backend, replaced by serde-wasm-bindgen and
 * plotters-canvas); its figures stand beside this run's.
 */
function baselineTable(r) {
  const path = join(root, "bench/baseline.json");
  if (!existsSync(path)) return [];
  const b = JSON.parse(readFileSync(path, "utf8"));
  const before = headline(b);
  const after = headline(r);
  return [
    "## Before and after",
    "",
    `Before: \`bench/baseline.json\`, measured on ${b.machine.date.slice(0, 10)} with the hand-written JSON boundary,`,
    "canvas backend, sort and JS float hooks. After: this run, with serde-wasm-bindgen, plotters-canvas",
    "and the standard library.",
    "",
    "| figure | before | after |",
    "| --- | ---: | ---: |",
    ...before.map(([k, v], i) => `| ${k} | ${v} | ${after[i][1]} |`),
    "",
  ];
}

function markdown(r) {
  const m = r.machine;
  const L = [];
  L.push("# Benchmarks", "");
  L.push(
    `Measured by \`npm run bench\` on ${m.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB,`,
    `${m.chromium} headless, Node ${m.node}. Each figure: median of ${r.runs} runs (min–max).`,
    "Raw figures: `bench/results.json`.",
    "",
  );
  L.push(...baselineTable(r));
  L.push("## What a visitor downloads", "", "| file | raw | gzip | brotli |", "| --- | ---: | ---: | ---: |");
  for (const s of r.sizes) L.push(`| ${s.file} | ${s.raw} B | ${s.gzip} B | ${s.brotli} B |`);
  L.push("");
  if (r.page) {
    const p = r.page;
    L.push(
      "## The page (dist/, as hosted)",
      "",
      "| what | median (min–max) | p95 | target |",
      "| --- | ---: | ---: | ---: |",
      `| navigation to first complete render (explorer drawn, story filled), fresh context | ${cell(p.firstRenderMs, "ms")} | ${fmt(p.firstRenderMs?.p95)} ms | ≤ 300 ms |`,
      `| load event | ${cell(p.loadEventMs, "ms")} | ${fmt(p.loadEventMs?.p95)} ms | |`,
      `| n slider step: state, layout(), every model panel redrawn (work) | ${cell(p.sliderStepWorkMs, "ms")} | ${fmt(p.sliderStepWorkMs?.p95)} ms | ≤ 16 ms p95 |`,
      `| n slider step: input to the drawn frame (includes waiting for it) | ${cell(p.sliderStepToFrameMs, "ms")} | ${fmt(p.sliderStepToFrameMs?.p95)} ms | |`,
      ...Object.entries(p.hoverMs).map(
        ([k, v]) => `| hover to tooltip, ${k} | ${cell(v, "ms")} | ${fmt(v?.p95)} ms | ≤ 4 ms p95 |`,
      ),
      "",
      `Real CPython in the browser (Pyodide ${r.pyodide?.version ?? "—"}) needs ${fmt(r.pyodide?.loadMs)} ms just to start, in the same run.`,
      "",
    );
  }
  L.push(
    "## layout() per call, from JS",
    "",
    "Target: at most 50 µs per call (median), for any n. Each call reads the scenario through serde-wasm-bindgen and returns the whole result, tree included, as plain objects.",
    "",
    "| scenario | n | µs per call |",
    "| --- | ---: | ---: |",
  );
  for (const x of r.layout) L.push(`| ${x.name} | ${x.n.toExponential(0)} | ${cell(x.perCallUs, "µs")} |`);
  L.push("");
  L.push(
    "## The lab (fresh worker per run): list(range(n)) of ints, and np.arange(n) as uint64",
    "",
    "Times in ms. *build boxed*: n int objects and the pointer array, allocated one by one through",
    "the pymalloc mirror (or Rust's allocator) and written; *build packed*: one buffer of n uint64;",
    "*commit*: touching the run's fresh memory first (page faults), outside the build's clock.",
    "Each run is preceded by an untimed warm-up of the same scenario at 65,536 items, so the",
    "engine times optimised code, as any benchmark harness warms up (`warmUp` in results.json).",
    "",
    "| structure | allocator | n | build boxed | build packed | sum via pointers | sum packed | sum shuffled | free boxed | commit | equal to model |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
  );
  for (const x of r.lab) {
    L.push(
      `| ${x.label} | ${x.allocator} | ${x.n.toExponential(0)} | ${cell(x.buildBoxed, "")} | ${cell(x.buildPacked, "")} | ${cell(
        x.traverseBoxed,
        "",
      )} | ${cell(x.traversePacked, "")} | ${cell(x.traverseShuffled, "")} | ${cell(x.freeBoxed, "")} | ${cell(
        x.commit,
        "",
      )} | ${x.equal ? "yes" : "NO"} |`,
    );
  }
  L.push(
    "",
    "For a list the boxed structure is the scenario and the packed buffer its comparison; for",
    "np.arange the packed buffer is the scenario (the ndarray's own data) and a list the comparison.",
    "",
  );
  if (r.longTasks) {
    L.push(
      `During a 10**7 lab run from the page (${(r.longTasks.wallMs / 1000).toFixed(1)} s), the main thread had ${
        r.longTasks.longTasks
      } tasks over 50 ms (longest ${fmt(r.longTasks.maxTaskMs)} ms).`,
      "",
    );
  }
  L.push("## Side by side: building a list of n ints", "");
  const cp = r.cpython.rows ?? [];
  const py = r.pyodide?.rows ?? [];
  L.push(
    `CPython ${r.cpython.python ?? "(skipped)"}${r.cpython.numpy ? ` with NumPy ${r.cpython.numpy}` : ""} on this machine (timeit, build only);`,
    `Pyodide ${r.pyodide?.version ?? "(skipped)"} (CPython on wasm32) in the same Chromium, loaded in ${fmt(r.pyodide?.loadMs)} ms;`,
    "the lab's own code compiled natively (`examples/lab_native.rs`; glibc told to keep freed memory,",
    "`MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2**40`, so that it too builds in committed memory).",
    "",
    "| n | lab, 3.12 layout | lab, wasm32 layout | lab native, 3.12 | CPython list(range(n)) | CPython append loop | Pyodide list(range(n)) | NumPy arange | lab np.arange uint64 |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  const labRow = (n, label) =>
    r.lab.find((x) => x.n === n && x.allocator === "cpython" && x.label.startsWith(label));
  for (const n of LAB_NS) {
    const lab = labRow(n, "list of ints, 3.12");
    const lab32 = labRow(n, "list of ints, wasm32");
    const packed = labRow(n, "np.arange");
    const nat = r.native.rows?.find((x) => x.n === n);
    const c = cp.find((x) => x.n === n);
    const p = py.find((x) => x.n === n);
    L.push(
      `| ${n.toExponential(0)} | ${cell(lab?.buildBoxed, "ms")} | ${cell(lab32?.buildBoxed, "ms")} | ${cell(
        nat?.buildBoxed,
        "ms",
      )} | ${cell(c?.listRange, "ms")} | ${cell(c?.appendLoop, "ms")} | ${cell(p?.listRange, "ms")} | ${cell(
        c?.npArange,
        "ms",
      )} | ${cell(packed?.buildPacked, "ms")} |`,
    );
  }
  L.push("", "### Ratios (medians)", "");
  const c6 = cp.find((x) => x.n === 1e6);
  const p6 = py.find((x) => x.n === 1e6);
  const l6 = labRow(1e6, "list of ints, 3.12");
  const w6 = labRow(1e6, "list of ints, wasm32");
  const a6 = labRow(1e6, "np.arange");
  L.push(
    `- Building list(range(10**6)) in the lab (3.12's 64-bit layout) takes ${ratio(l6?.buildBoxed, c6?.listRange)} the time of CPython's own \`list(range(10**6))\` on this machine (target: at most 0.33×).`,
    `- Building it in Pyodide's own layout (wasm32) takes ${ratio(w6?.buildBoxed, p6?.listRange)} the time of \`list(range(10**6))\` in Pyodide, same browser (target: at most 0.25×).`,
    `- Filling 10**6 packed uint64 (np.arange's buffer) takes ${fmt(a6?.buildPacked?.median)} ms (target: at most 1 ms).`,
    `- Pyodide needs ${fmt(r.pyodide?.loadMs)} ms to start; this page's wasm is ${(
      r.sizes.find((s) => s.file.endsWith(".wasm"))?.gzip / 1024
    ).toFixed(1)} KiB gzipped.`,
    "",
  );
  return L.join("\n");
}

async function main() {
  const { server, url } = await serve();
  const dist = await serve({ dir: distDir });
  const browser = await launch();
  const results = { machine: machine(), runs: RUNS, quick: QUICK };
  // `--only=page,lab` runs just those sections and prints their figures (no files written).
  const only = process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",");
  const sections = [
    ["page", "the page: first render, slider steps, hover", () => benchPage(browser, dist.url)],
    ["layout", "layout() per call", () => benchLayout(browser, url)],
    ["lab", "the lab", () => benchLab(browser, url)],
    [
      "longTasks",
      "long tasks during a 10**7 lab run",
      () => (QUICK ? null : benchLongTasks(browser, dist.url)),
    ],
    ["cpython", "CPython", () => benchCPython()],
    ["pyodide", "Pyodide", () => benchPyodide(browser, url).catch((e) => ({ skipped: e.message }))],
    ["native", "the lab compiled natively", () => benchNative()],
  ];
  try {
    results.sizes = sizes();
    for (const [key, title, fn] of sections) {
      if (only && !only.includes(key)) continue;
      console.log(`▸ ${title}`);
      const v = await fn();
      if (v !== null) results[key] = v;
    }
  } finally {
    await browser.close();
    server.close();
    dist.server.close();
  }
  if (only) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  mkdirSync(join(root, "bench"), { recursive: true });
  writeFileSync(join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = markdown(results);
  writeFileSync(join(root, "BENCHMARKS.md"), md);
  console.log(md);
}

await main();
