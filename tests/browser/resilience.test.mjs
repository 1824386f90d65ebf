// Every path off the default keeps working: combinations of valid values that do not fit
// together are drawn as the nearest valid scenario with a note; a missing canvas, storage or
// clipboard costs only its own part; the lab keeps its promises; typed numbers are kept; an RTL
// host does not mirror the widget. The number of combinations tried is printed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { serve } from "../../scripts/serve.mjs";
import { host, openPage, rendered, useBrowser, widget, modelLayout } from "./harness.mjs";

const ctx = useBrowser();

const shown = (page) =>
  page.evaluate(() => {
    const w = document.querySelector("boxed-vs-packed");
    const r = w.shadowRoot;
    return {
      state: { ...w.state },
      note: r.querySelector(".note").textContent,
      headline: r.querySelector(".headline").textContent,
      controls: Object.fromEntries(
        ["container", "typecode", "dtype", "valueKind", "valueNum", "profile"].map((k) => [
          k,
          r.querySelector(`[name=${k}]`).value,
        ]),
      ),
      drawnFlame: r.querySelector(".flame canvas.main").width > 0,
    };
  });

test("a link to an invalid combination draws the nearest valid scenario and says what changed", async () => {
  const page = await openPage(ctx, "/index.html?container=list_repeat&n=1000");
  await rendered(page);
  let w = await shown(page);
  assert.equal(w.state.values, "constant:0");
  assert.match(w.note, /values changed from int_range:0 to constant:0: \[value\] \* n repeats one value/);
  assert.deepEqual(
    [w.controls.valueKind, w.controls.valueNum],
    ["constant", "0"],
    "the controls show what is drawn",
  );
  assert.match(w.headline, /\[v\] \* n|list/);
  assert.ok(w.drawnFlame);
  // The page's own controls never produce one: uint8 adjusts the values, and says so.
  await widget(page).locator("select[name=container]").selectOption("ndarray");
  await widget(page).locator("select[name=dtype]").selectOption("uint8");
  await widget(page).locator("[name=valueKind]").selectOption("int_range");
  await page.waitForFunction(() =>
    document.querySelector("boxed-vs-packed").state.values.startsWith("int_mod"),
  );
  w = await shown(page);
  assert.equal(w.state.values, "int_mod:256");
  assert.match(w.note, /dtype uint8 holds 0\.\.255, so the values became i % 256, which fit/);
  // A resize, a theme change and compact after such a note do not throw.
  await page.setViewportSize({ width: 500, height: 900 });
  await page.evaluate(() => {
    const x = document.querySelector("boxed-vs-packed");
    x.setAttribute("theme", "dark");
    x.setAttribute("compact", "");
  });
  await page.waitForTimeout(300);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("an embedded widget with typecode b and the default values draws i % 128, with its panels and compact", async () => {
  const BLOG = await host({
    "x.html": `<!doctype html><meta charset="utf-8"><title>b</title><link rel="icon" href="data:,">
<script type="module" src="${ctx.url}/www/boxed-vs-packed.js"></script>
<boxed-vs-packed container="array" typecode="b" panels="flame,code" compact></boxed-vs-packed>`,
  });
  const page = await openPage(ctx, null);
  await page.goto(`${BLOG}/x.html`);
  await rendered(page);
  const w = await shown(page);
  assert.equal(w.state.values, "int_mod:128");
  assert.match(w.note, /typecode 'b' holds -128\.\.127, so the values became i % 128/);
  assert.equal(w.controls.valueKind, "int_mod");
  const panels = await page.evaluate(() =>
    [...document.querySelector("boxed-vs-packed").shadowRoot.querySelectorAll("section.panel")]
      .filter((s) => !s.hidden)
      .map((s) => s.className),
  );
  assert.deepEqual(panels, ["panel flame", "panel code"]);
  const code = await widget(page).locator(".code pre").first().textContent();
  assert.equal(code, "x = array.array('b', (i % 128 for i in range(n)))");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("any combination of valid field values, from attributes or the URL, reaches a drawn widget", async () => {
  const page = await openPage(ctx, "/index.html?n=10");
  await rendered(page);
  // A deterministic pseudo-random walk over the choices (the same combinations every run).
  let seed = 12345;
  const pick = (xs) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
  const choices = {
    container: [
      "list_append",
      "list_range",
      "list_comprehension",
      "list_repeat",
      "tuple",
      "array",
      "ndarray",
    ],
    typecode: "b B h H i I l L q Q f d".split(" "),
    dtype: "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64".split(" "),
    numpy: ["2", "1.21"],
    values: [
      "int_range:0",
      "int_range:-1000",
      "int_range:9223372036854775000",
      "float_range:5",
      "int_mod:1000000",
      "int_mod:3",
      "constant:7",
      "constant:-300",
      "constant:2.5",
      "constant:1e300",
    ],
    profile: [
      "cpython-3.8",
      "cpython-3.10",
      "cpython-3.12",
      "cpython-3.14",
      "cpython-3.15",
      "wasm32-3.13",
      "wasm32-3.14",
      "wasm32",
    ],
    n: ["0", "1", "1000", "1000000", "1000000000"],
  };
  const combos = Array.from({ length: 250 }, () =>
    Object.fromEntries(Object.entries(choices).map(([k, xs]) => [k, pick(xs)])),
  );
  const results = await page.evaluate(async (combos) => {
    const w = document.querySelector("boxed-vs-packed");
    const out = [];
    for (const c of combos) {
      const before = Number(w.shadowRoot.querySelector(".bvp").dataset.rendered);
      for (const [k, v] of Object.entries(c)) w.setAttribute(k, v);
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const layout = w.layout;
      // What is drawn is the state the controls show, and the API agrees with it.
      const again = w.api.layout(w.scenario());
      out.push({
        c,
        drew: Number(w.shadowRoot.querySelector(".bvp").dataset.rendered) > before,
        same: again.totals.requested === layout.totals.requested,
        container: w.shadowRoot.querySelector("[name=container]").value === w.state.container,
        headline: w.shadowRoot.querySelector(".headline").textContent.length > 10,
      });
    }
    return out;
  }, combos);
  for (const r of results) {
    assert.ok(r.drew && r.same && r.container && r.headline, JSON.stringify(r));
  }
  // And some from the URL, each a fresh page.
  for (const c of combos.slice(0, 15)) {
    await page.goto(`${ctx.url}/index.html?${new URLSearchParams(c)}`);
    await rendered(page);
    assert.ok((await shown(page)).drawnFlame, JSON.stringify(c));
  }
  console.log(`# valid-field combinations tried: ${results.length} by attribute, 15 by URL`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a canvas without a 2D context costs only its panel", async () => {
  const page = await openPage(ctx, null);
  await page.addInitScript(() => {
    const real = HTMLCanvasElement.prototype.getContext;
    // Every canvas of the flame graph panel has no 2D context (as a blocked or exhausted browser).
    HTMLCanvasElement.prototype.getContext = function (...a) {
      return this.closest(".flame") ? null : real.apply(this, a);
    };
  });
  await page.goto(`${ctx.url}/index.html?n=1000`);
  await rendered(page);
  const r = await page.evaluate(() => {
    const root = document.querySelector("boxed-vs-packed").shadowRoot;
    return {
      flameError: root.querySelector(".flame .panel-error")?.textContent ?? "",
      headline: root.querySelector(".headline").textContent,
      code: root.querySelector(".code pre").textContent,
      barsDrawn: root.querySelector(".bars canvas.main").width > 0,
    };
  });
  assert.match(r.flameError, /This panel could not be drawn \(canvas: could not get a 2D context\)/);
  assert.match(r.headline, /by tracemalloc/);
  assert.match(r.code, /x\.append\(i\)/);
  assert.ok(r.barsDrawn);
  // Hovering the broken panel does not throw either.
  await widget(page).locator(".flame canvas.main").hover();
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the exercises work with storage that is malformed, full or disabled", async () => {
  for (const setup of [
    `localStorage.setItem("boxed-vs-packed:exercises", "[]")`,
    `localStorage.setItem("boxed-vs-packed:exercises", '{"ex":null,"list":null,"tuple":7}')`,
    `localStorage.setItem("boxed-vs-packed:exercises", "{not json")`,
    `Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); }`,
    `Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } })`,
  ]) {
    const page = await openPage(ctx, null);
    await page.addInitScript(setup);
    await page.goto(`${ctx.url}/index.html?mode=exercises&n=1000`);
    await rendered(page);
    const card = page.locator("#ex-list");
    await card.waitFor();
    await card.getByRole("button", { name: "Hint (1 of 2)" }).click();
    assert.equal(await card.locator(".hints li").count(), 1, setup);
    const truth = (
      await modelLayout(page, {
        n: 1e6,
        container: "list_append",
        values: { kind: "int_range", start: 0 },
        profile: "cpython-3.12",
      })
    ).totals.requested;
    await card.getByLabel("Your answer").fill(String(truth));
    await card.getByLabel("unit").selectOption("B");
    await card.getByRole("button", { name: "Check" }).click();
    assert.match(await card.locator(".feedback").textContent(), /^Right/, setup);
    assert.equal(await page.locator(".ex-progress [role=status]").textContent(), "1 of 15 solved.", setup);
    assert.ok(await card.getByRole("button", { name: "Reveal the answer" }).isVisible(), setup);
    assert.deepEqual(page.problems, [], setup);
    await page.close();
  }
});

test("a clipboard that never answers gets a status within a few seconds", async () => {
  const page = await openPage(ctx, null);
  await page.addInitScript(() => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => new Promise(() => {}) } });
  });
  await page.goto(`${ctx.url}/index.html?n=1000`);
  await rendered(page);
  const t0 = Date.now();
  await widget(page).getByRole("button", { name: "Copy link" }).click();
  await page.waitForFunction(
    () =>
      /did not copy it/.test(
        document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".share-status").textContent,
      ),
    null,
    { timeout: 6000 },
  );
  assert.ok(Date.now() - t0 < 6000);
  await widget(page).getByRole("button", { name: "Copy the code" }).click();
  await page.waitForFunction(
    () =>
      /did not copy it/.test(
        document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".code p.sr").textContent,
      ),
    null,
    { timeout: 6000 },
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the lab: the site's API has no crash switch, and downloads describe the run that ran", async () => {
  const page = await openPage(ctx, "/index.html?n=1000");
  await rendered(page);
  const testPanic = await page.evaluate(() => {
    const api = document.querySelector("boxed-vs-packed").api;
    const s = {
      container: "list_append",
      values: { kind: "int_range", start: 0 },
      n: 10,
      profile: "cpython-3.12",
    };
    try {
      api.runLab(s, { testPanic: true });
      return "ran";
    } catch (e) {
      return e.message;
    }
  });
  assert.match(testPanic, /^options\.testPanic: unknown option/);
  // Start runs through the widget's own lab panel, then change the controls: the downloads
  // describe what ran.
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await page.waitForFunction(() =>
    /Measured equals modelled/.test(
      document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".lab-status").textContent,
    ),
  );
  await widget(page).locator("select[name=container]").selectOption("tuple");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    widget(page).locator(".heap").getByRole("button", { name: /JSON/ }).click(),
  ]);
  const body = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(body.scenario.container, "list_append", "the run's scenario, not the controls'");
  assert.equal(body.scenario.n, 1000);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("runLab from the page's own client: 30 uncloneable options leave no worker", async () => {
  // The source tree, unbundled, where the lab client is a module of its own.
  const src = await serve({ dir: join(import.meta.dirname, "../..") });
  try {
    const page = await openPage(ctx, null);
    await page.goto(`${src.url}/index.html?n=10`);
    await page.waitForSelector("body[data-ready=true]");
    const msgs = await page.evaluate(async () => {
      const { runLab } = await import("/www/lab/client.js");
      const s = {
        container: "list_append",
        values: { kind: "int_range", start: 0 },
        n: 10,
        profile: "cpython-3.12",
      };
      const out = [];
      for (let i = 0; i < 30; i++) {
        try {
          await runLab(s, { shuffle: () => 1 });
        } catch (e) {
          out.push(e.message);
        }
      }
      return out;
    });
    assert.equal(msgs.length, 30);
    assert.match(msgs[0], /cannot be sent to the lab worker/);
    await page.waitForTimeout(200);
    assert.equal(page.workers().length, 0, "no worker left");
    assert.deepEqual(page.problems, []);
    await page.close();
  } finally {
    src.server.close();
  }
});

test("typed numbers are kept: ints past 2**53, -2**63, an empty n, Back right after a slider move", async () => {
  const page = await openPage(ctx, "/index.html?n=1000&container=list_range");
  await rendered(page);
  const value = widget(page).locator("[name=valueNum]");
  await value.fill("1152921504606846977");
  await value.dispatchEvent("change");
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.values.endsWith("977"));
  assert.equal((await shown(page)).state.values, "int_range:1152921504606846977");
  assert.equal(await value.inputValue(), "1152921504606846977");
  await widget(page).locator("[name=valueKind]").selectOption("constant");
  await value.fill("-9223372036854775808");
  await value.dispatchEvent("change");
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.values.endsWith("808"));
  assert.equal((await shown(page)).state.values, "constant:-9223372036854775808");
  // Clearing n is not n = 0.
  const nExact = widget(page).locator("input[type=number]");
  await nExact.fill("");
  await nExact.dispatchEvent("change");
  await page.waitForTimeout(100);
  const w = await shown(page);
  assert.equal(w.state.n, 1000);
  assert.match(w.note, /n must be a whole number/);
  // A slider move, then Back within 250 ms: the URL and the widget agree.
  await page.waitForTimeout(400);
  const urlBefore = page.url();
  await widget(page).locator("input[type=range]").fill("500");
  await page.goBack().catch(() => {});
  await page.waitForTimeout(600);
  const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
  const n = new URL(page.url()).searchParams.get("n") ?? "1000000";
  assert.equal(String(state.n), n, `URL ${page.url()} (was ${urlBefore}) and widget n=${state.n} agree`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("an RTL host page does not mirror the widget's text or charts", async () => {
  const BLOG = await host({
    "rtl.html": `<!doctype html><html dir="rtl" lang="ar"><meta charset="utf-8"><title>rtl</title><link rel="icon" href="data:,">
<script type="module" src="${ctx.url}/www/boxed-vs-packed.js"></script>
<p>مقالة</p><boxed-vs-packed n="1000"></boxed-vs-packed>`,
  });
  const page = await openPage(ctx, null);
  await page.goto(`${BLOG}/rtl.html`);
  await rendered(page);
  const dirs = await page.evaluate(() => {
    const root = document.querySelector("boxed-vs-packed").shadowRoot;
    const d = (el) => getComputedStyle(el).direction;
    return [d(root.querySelector(".headline")), ...[...root.querySelectorAll("canvas")].map(d)];
  });
  assert.ok(
    dirs.every((d) => d === "ltr"),
    JSON.stringify(dirs),
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("float16 past 65504 shows NumPy's warning, and the allocator figure its range", async () => {
  const page = await openPage(
    ctx,
    "/index.html?container=ndarray&dtype=float16&values=float_range:327295095&n=195&profile=cpython-3.13",
  );
  await rendered(page);
  assert.match((await shown(page)).note, /⚠ values: float16 holds at most 65504/);
  await page.goto(`${ctx.url}/index.html?n=100000&accounting=allocator`);
  await rendered(page);
  assert.match((await shown(page)).headline, /in a fresh program; .* to .* as glibc's mmap threshold moves/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("setState checks what it is given, as an attribute would be, and a theme change keeps the notes", async () => {
  const page = await openPage(ctx, "/index.html?n=1000");
  await rendered(page);
  await page.evaluate(() =>
    document.querySelector("boxed-vs-packed").setState({
      profile: "wasm32",
      n: -5,
      accounting: "bogus",
      values: "int_range:x",
      colour: "red",
    }),
  );
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.profile === "wasm32-3.13");
  let w = await shown(page);
  assert.equal(w.state.n, 1000);
  assert.equal(w.state.values, "int_range:0");
  assert.equal(w.state.accounting, "tracemalloc");
  for (const re of [
    /n=-5 ignored: n must be a whole number/,
    /accounting=bogus ignored: allowed: /,
    /values=int_range:x ignored/,
    /colour ignored: not a setting/,
  ])
    assert.match(w.note, re);
  await page.evaluate(() => document.querySelector("boxed-vs-packed").setAttribute("theme", "dark"));
  w = await shown(page);
  assert.match(w.note, /colour ignored: not a setting/);
  assert.equal(w.drawnFlame, true);
  assert.deepEqual(page.problems, []);
  await page.close();
});
