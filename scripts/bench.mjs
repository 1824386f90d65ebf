// Benchmarks in headless Chromium on localhost. Writes bench/results.json and BENCHMARKS.md.
// Every figure is the median of at least 5 runs, with min and max. Nothing here fails on time.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { launch } from "./browser.mjs";
import { output, root } from "./lib.mjs";
import { serve } from "./serve.mjs";

const RUNS = 5;

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), min: s[0], max: s.at(-1), runs: s.length };
}

const fmt = (x, digits = 2) => (x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const cell = (st, unit) => `${fmt(st.median)} ${unit} (${fmt(st.min)}–${fmt(st.max)})`;

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

async function main() {
  const { server, url } = await serve();
  const browser = await launch();
  const results = { machine: machine(), runs: RUNS };
  try {
    console.log("▸ layout() per call");
    results.layout = await benchLayout(browser, url);
  } finally {
    await browser.close();
    server.close();
  }
  writeFileSync(join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, "BENCHMARKS.md"), markdown(results));
  console.log(markdown(results));
}

function markdown(r) {
  const m = r.machine;
  const lines = [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench\` on ${m.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB,`,
    `${m.chromium} headless, Node ${m.node}. Each figure: median of ${r.runs} runs (min–max).`,
    "",
    "## layout() per call, from JS",
    "",
    "| scenario | n | µs per call |",
    "| --- | ---: | ---: |",
    ...r.layout.map((x) => `| ${x.name} | ${x.n.toExponential(0)} | ${cell(x.perCallUs, "µs")} |`),
    "",
  ];
  return lines.join("\n");
}

await main();
