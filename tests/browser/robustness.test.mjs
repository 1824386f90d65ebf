// Bad input at every entry point: layout(), runLab(), the page's URL parameters, the widget's
// attributes and embed.html's parameters. Each bad value gets a clear message naming what is
// wrong, never an uncaught exception, never injected markup, and the page keeps working. Then
// a panic forced in the lab's worker (a test-only option) is reported and the next run works.
// The number of inputs tried is printed (and quoted in the closing notes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { root } from "../../scripts/lib.mjs";
import { serve } from "../../scripts/serve.mjs";
import { openPage, rendered, useBrowser, modelLayout } from "./harness.mjs";

const ctx = useBrowser();
let tried = 0;

// Strings, as a URL or an attribute would carry them.
const LONG = "9".repeat(10000);
const BAD_TEXT = [
  "-1",
  "1.5",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "",
  " ",
  "banana",
  LONG,
  "x".repeat(10000),
  `<img src=x onerror="window.__pwned=1">`,
  `"><script>window.__pwned=2</script>`,
  "javascript:alert(1)",
  "%00",
  "0x10",
  "1_000",
];
// Values, as JS callers could pass them.
const BAD_VALUES = [
  -1,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  Number("1e400"), // Infinity, as JS reads it
  "1e400",
  "",
  "banana",
  LONG,
  `<img src=x onerror="window.__pwned=3">`,
  null,
  true,
  [],
  {},
  [1, 2],
  10n ** 40n,
  -(2 ** 53) * 4,
];

/** No element anywhere that an input could have created, and no script ran. */
async function nothingInjected(page) {
  return page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll("boxed-vs-packed")].map((w) => w.shadowRoot)];
    const found = roots.flatMap((r) => [...(r?.querySelectorAll("img, script:not([src]), iframe") ?? [])]);
    return { injected: found.length, pwned: window.__pwned ?? null };
  });
}

test("layout() and runLab(): every bad field value throws an Error that names the field", async () => {
  const page = await openPage(ctx, "/index.html?n=10");
  await rendered(page);
  const results = await page.evaluate(
    (bad) => {
      const api = document.querySelector("boxed-vs-packed").api;
      const revive = (v) => (v && v.$big ? BigInt(v.$big) : v);
      const values = bad.map(revive);
      const base = () => ({
        container: "array",
        typecode: "q",
        values: { kind: "int_range", start: 0 },
        n: 1000,
        profile: "cpython-3.12",
      });
      const fields = {
        container: (s, v) => (s.container = v),
        typecode: (s, v) => (s.typecode = v),
        dtype: (s, v) => {
          delete s.typecode;
          Object.assign(s, { container: "ndarray", dtype: v });
        },
        n: (s, v) => (s.n = v),
        profile: (s, v) => (s.profile = v),
        values: (s, v) => (s.values = v),
        "values.kind": (s, v) => (s.values.kind = v),
        "values.start": (s, v) => (s.values.start = v),
        "values.k": (s, v) => (s.values = { kind: "int_mod", k: v }),
        "values.value": (s, v) => {
          delete s.typecode;
          Object.assign(s, { container: "list_repeat", values: { kind: "constant", value: v } });
        },
        "unknown field": (s, v) => (s.banana = v),
      };
      const out = [];
      const call = (fn) => {
        try {
          fn();
          return { ok: true };
        } catch (e) {
          return { ok: false, isError: e instanceof Error, message: String(e?.message ?? e) };
        }
      };
      for (const [field, set] of Object.entries(fields)) {
        for (const v of values) {
          const s = base();
          set(s, v);
          out.push({ entry: "layout", field, value: String(v).slice(0, 30), ...call(() => api.layout(s)) });
          // runLab checks the same scenario before it allocates anything.
          const r = call(() => api.runLab({ ...s, n: typeof s.n === "number" && s.n > 1e5 ? 10 : s.n }, {}));
          out.push({ entry: "runLab", field, value: String(v).slice(0, 30), ...r });
        }
      }
      for (const v of values) {
        // (testPanic is the crash switch of test builds only: the site's wasm calls it unknown.)
        for (const opt of ["allocator", "shuffle", "testPanic", "onProgress", "banana"]) {
          out.push({
            entry: "runLab options",
            field: opt,
            value: String(v).slice(0, 30),
            ...call(() => api.runLab({ ...base(), n: 10 }, { [opt]: v })),
          });
        }
      }
      for (const s of [null, undefined, 42, "list", [], () => 1]) {
        out.push({ entry: "layout", field: "scenario", value: String(s), ...call(() => api.layout(s)) });
        out.push({ entry: "runLab", field: "scenario", value: String(s), ...call(() => api.runLab(s, {})) });
      }
      return out;
    },
    BAD_VALUES.map((v) => (typeof v === "bigint" ? { $big: String(v) } : v)),
  );
  tried += results.length;
  let rejected = 0;
  for (const r of results) {
    if (r.ok) continue; // a value that is in fact valid there (e.g. 1.5 for values.value)
    rejected++;
    assert.ok(r.isError, `${r.entry} ${r.field}=${r.value}: throws an Error, not ${r.message}`);
    const field = r.field === "unknown field" ? "" : r.field.split(".")[0];
    assert.ok(r.message.includes(field), `${r.entry} ${r.field}=${r.value}: "${r.message}" names the field`);
    assert.ok(r.message.length < 400, `${r.entry} ${r.field}: a short message (${r.message.length} chars)`);
    assert.doesNotMatch(r.message, /panicked|unreachable|RuntimeError/);
  }
  assert.ok(rejected > results.length * 0.8, `${rejected} of ${results.length} rejected`);
  // The page still works after all that.
  assert.equal(
    (
      await modelLayout(page, {
        container: "tuple",
        values: { kind: "int_range", start: 0 },
        n: 5,
        profile: "cpython-3.12",
      })
    ).elements.count,
    5,
  );
  assert.deepEqual(await nothingInjected(page), { injected: 0, pwned: null });
  assert.deepEqual(page.problems, []);
  await page.close();
});

const PARAMS = ["n", "container", "values", "typecode", "dtype", "profile", "accounting", "units", "panels"];

/** Query strings: every parameter bad at once, but a 10,000-character value one parameter at a
 * time (servers refuse URLs much past 16 KB). */
const queries = (names, values) =>
  values.flatMap((bad) =>
    bad.length > 1000 ? names.map((p) => [bad, [[p, bad]]]) : [[bad, names.map((p) => [p, bad])]],
  );

test("URL parameters: each bad value is named in the page's note, the page draws the defaults", async () => {
  const page = await openPage(ctx, null);
  for (const [bad, pairs] of queries([...PARAMS, "mode"], BAD_TEXT)) {
    await page.goto(`${ctx.url}/index.html?${new URLSearchParams(pairs)}`);
    await rendered(page);
    tried += pairs.length;
    const note = await page.textContent(".url-note");
    const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
    for (const [p] of pairs) {
      if (p === "n" && bad === "1_000") continue; // a valid n: 1000
      assert.ok(note.includes(`${p}=`), `${p}=${bad.slice(0, 20)} named in "${note.slice(0, 200)}"`);
    }
    assert.ok(note.length < 3000, "long values are cut short in the note");
    if (pairs.some(([p]) => p === "n") && bad !== "1_000") assert.equal(state.n, 1000000);
    assert.equal(state.container, "list_append");
    assert.deepEqual(await nothingInjected(page), { injected: 0, pwned: null });
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("widget attributes, before and after start: named in the widget's note, the widget keeps working", async () => {
  const page = await openPage(ctx, "/index.html?n=100");
  await rendered(page);
  const names = [...PARAMS, "theme"];
  const result = await page.evaluate(
    ([bad, names]) => {
      const w = document.querySelector("boxed-vs-packed");
      const out = [];
      for (const v of bad) {
        for (const name of names) {
          w.setAttribute(name, v);
          const note = w.shadowRoot.querySelector(".note").textContent;
          out.push({
            name,
            v: v.slice(0, 20),
            named: note.includes(`${name}=`),
            short: note.length < 3000,
          });
          w.removeAttribute(name);
        }
      }
      // A fresh element with every attribute bad at once.
      const fresh = document.createElement("boxed-vs-packed");
      for (const name of names) fresh.setAttribute(name, bad[bad.length - 6]);
      fresh.id = "fresh";
      document.body.append(fresh);
      fresh.start();
      return out;
    },
    [BAD_TEXT, names],
  );
  tried += result.length + names.length;
  for (const r of result) {
    if (r.name === "n" && r.v === "1_000") continue; // valid: 1000
    assert.ok(r.named, `attribute ${r.name}=${r.v} is named in the note`);
    assert.ok(r.short);
  }
  await rendered(page, 1, "#fresh");
  const fresh = await page.evaluate(() => {
    const w = document.getElementById("fresh");
    return { note: w.shadowRoot.querySelector(".note").textContent, n: w.state.n };
  });
  assert.match(fresh.note, /n=<img src=x/);
  assert.equal(fresh.n, 1000000);
  const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
  assert.equal(state.container, "list_append");
  assert.deepEqual(await nothingInjected(page), { injected: 0, pwned: null });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("embed.html parameters: named inside the widget, which still draws", async () => {
  const page = await openPage(ctx, null);
  const bads = BAD_TEXT.filter((b) => b !== "1_000");
  for (const [, pairs] of queries([...PARAMS, "theme"], bads)) {
    await page.goto(`${ctx.url}/embed.html?${new URLSearchParams(pairs)}`);
    await rendered(page);
    tried += pairs.length;
    const note = await page.locator("boxed-vs-packed .note").textContent();
    for (const [p] of pairs) assert.ok(note.includes(`${p}=`), `${p} named in "${note.slice(0, 200)}"`);
    assert.deepEqual(await nothingInjected(page), { injected: 0, pwned: null });
  }
  assert.deepEqual(page.problems, []);
  await page.close();
  console.log(`# bad inputs tried across layout(), runLab(), URL, attributes and embed.html: ${tried}`);
});

test("a panic forced in the lab's worker is reported, and the next run works", async () => {
  // The source tree, unbundled: the test imports the page's own lab client module, with the wasm
  // of a test build (feature test-hooks, built by scripts/test.mjs), the only one that has the
  // test-only crash switch.
  const src = await serve({ dir: root });
  try {
    const page = await openPage(ctx, null);
    await page.route(/\/www\/pkg\/(boxed_vs_packed(_bg\.wasm|\.js))$/, (route, req) =>
      route.fulfill({
        path: join(root, "target/test-pkg", new URL(req.url()).pathname.split("/").pop()),
        contentType: req.url().endsWith(".wasm") ? "application/wasm" : "text/javascript",
      }),
    );
    await page.goto(`${src.url}/index.html?n=10`);
    await page.waitForSelector("body[data-ready=true]");
    const r = await page.evaluate(async () => {
      const { runLab } = await import("/www/lab/client.js");
      const scenario = {
        container: "list_append",
        values: { kind: "int_range", start: 0 },
        n: 1000,
        profile: "cpython-3.12",
      };
      let crash = null;
      try {
        await runLab(scenario, { testPanic: true });
      } catch (e) {
        crash = { message: e.message, crashed: e.crashed };
      }
      const next = await runLab(scenario, {});
      return { crash, equal: next.equal, requested: next.requested };
    });
    assert.equal(r.crash?.crashed, true, "reported as a crash");
    assert.match(r.crash.message, /^the lab crashed .*; the next run starts afresh$/);
    assert.deepEqual(r.equal, { requested: true, allocated: true });
    // The panic's message reaches the console (console_error_panic_hook: console.error), and
    // nothing else went wrong.
    const panic = (p) => p.includes("panicked at") && p.includes("panic forced by the test-only option");
    assert.deepEqual(
      page.problems.filter((p) => !panic(p)),
      [],
    );
    assert.ok(page.problems.some(panic), "the panic was logged");
    await page.close();
  } finally {
    src.server.close();
  }
});
