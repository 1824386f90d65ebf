// Comparing two scenarios: memory vs n draws the reader's own scenario and the one compared
// with, named, with values at the keyboard cursor equal to layout()'s; the headline names both
// and its ratio is the model's; the comparison is set by a URL parameter, a widget attribute or
// the "Compare with" controls, and a bad one is named in a note. The series chart's accessible
// name follows the cursor, a focused chart keeps its tooltip on screen, and axe finds nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { modelLayout, openPage, outDir, renderCount, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();
const group = (n) => n.toLocaleString("en-US");
const BASE = { values: { kind: "int_range", start: 0 }, profile: "cpython-3.14" };
const ARRAY_Q = { ...BASE, container: "array", typecode: "q" };
const LIST = { ...BASE, container: "list_append" };

const shown = (page, sel = "boxed-vs-packed") =>
  page.evaluate((s) => {
    const w = document.querySelector(s);
    const r = w.shadowRoot;
    return {
      names: w.names,
      compare: w.compare,
      state: { ...w.state },
      attr: w.getAttribute("compare"),
      headline: r.querySelector(".headline").textContent,
      note: r.querySelector(".note").textContent,
      urlNote: document.querySelector(".url-note")?.textContent ?? "",
    };
  }, sel);

/** Pixels of exactly this colour on a canvas (the lines' own colours, not anti-aliased edges). */
const pixelsOf = (page, sel, [r, g, b]) =>
  widget(page)
    .locator(sel)
    .evaluate(
      (c, [r2, g2, b2]) => {
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let k = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] === r2 && d[i + 1] === g2 && d[i + 2] === b2) k++;
        return k;
      },
      [r, g, b],
    );

/** Wait until the widget has drawn again after `action`. */
async function redrawn(page, action) {
  const before = await renderCount(page);
  await action();
  await rendered(page, before + 1);
}

test("array('q') compared with a list: both lines drawn and named, the cursor's values are layout()'s", async () => {
  const page = await openPage(ctx, "/index.html?container=array&typecode=q&n=1000");
  await rendered(page);
  const w = await shown(page);
  assert.deepEqual(w.names, ["array('q')", "list of ints (append)"], "the usual comparison: a list");
  const series = widget(page).locator("section.series");
  // Both lines are drawn in their own colours (vermillion, blue) ...
  assert.ok((await pixelsOf(page, ".series canvas.main", [0xd5, 0x5e, 0x00])) > 200, "array('q') drawn");
  assert.ok((await pixelsOf(page, ".series canvas.main", [0x00, 0x72, 0xb2])) > 200, "the list drawn");
  // ... and named exactly in the data table, where array('q') no longer hides under ndarray int64.
  await series.getByRole("button", { name: "Show table" }).click();
  const head = await series.locator("table thead th").allTextContents();
  assert.deepEqual(head.slice(0, 3), ["n", "array('q')", "list of ints (append)"]);
  assert.ok(head.includes("ndarray int64"), "ndarray int64 is a line of its own");
  assert.ok(
    !head.slice(3).includes("array('q')"),
    "the reference equal to the reader's line is not repeated",
  );
  const row = await series
    .locator("tbody tr")
    .evaluateAll((trs) =>
      [...trs.find((tr) => tr.querySelector("th").textContent === "1,000").cells]
        .slice(1)
        .map((c) => c.textContent),
    );
  const [a1000, l1000] = [
    await modelLayout(page, { ...ARRAY_Q, n: 1000 }),
    await modelLayout(page, { ...LIST, n: 1000 }),
  ];
  assert.deepEqual(row.slice(0, 2), [group(a1000.totals.requested), group(l1000.totals.requested)]);
  await series.getByRole("button", { name: "Show chart" }).click();

  // The keyboard cursor: the tooltip's exact bytes are layout()'s for both scenarios, and the
  // chart's accessible name follows it.
  const canvas = series.locator("canvas.main");
  await canvas.focus();
  const label0 = await canvas.getAttribute("aria-label");
  assert.match(label0, /array\('q'\) \(solid line\) and list of ints \(append\) \(dashed line\)/);
  const labels = [label0];
  for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"]) {
    await page.keyboard.press(key);
    const tip = await series.locator(".tip").textContent();
    const n = Number(/n = ([\d,]+)/.exec(tip)[1].replaceAll(",", ""));
    const [a, l] = [await modelLayout(page, { ...ARRAY_Q, n }), await modelLayout(page, { ...LIST, n })];
    assert.ok(tip.includes(`array('q'): ${group(a.totals.requested)} bytes`), `${n}: array('q') in "${tip}"`);
    assert.ok(
      tip.includes(`list of ints (append): ${group(l.totals.requested)} bytes`),
      `${n}: list in "${tip}"`,
    );
    const label = await canvas.getAttribute("aria-label");
    assert.ok(label.includes(`At n = ${group(n)} (tracemalloc): array('q')`), label);
    assert.equal(await series.locator(".sr").textContent(), label.slice(label.indexOf("At n =")));
    labels.push(label);
  }
  assert.equal(
    new Set(labels).size,
    4,
    "each step changes the label (two steps right then one back repeats one)",
  );
  assert.equal(labels[2], labels[4]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the headline for array('i') names both scenarios, and its ratio is the model's", async () => {
  const page = await openPage(ctx, "/index.html?container=array&typecode=i");
  await rendered(page);
  const { headline } = await shown(page);
  const n = 1_000_000;
  const a = await modelLayout(page, { ...BASE, container: "array", typecode: "i", n });
  const l = await modelLayout(page, { ...LIST, n });
  const [ab, lb] = [a.totals.requested, l.totals.requested];
  assert.ok(headline.includes(`${(ab / n).toFixed(2)} B per element`), headline);
  assert.ok(headline.includes(`Compared with list of ints (append): `), headline);
  assert.ok(headline.includes(`${(lb / n).toFixed(2)} B per element`), headline);
  assert.ok(
    headline.includes(`list of ints (append) takes ${(lb / ab).toFixed(1)}× as much as array('i').`),
    headline,
  );
  assert.doesNotMatch(headline, /Boxed vs packed/);
  // The other way round: the list first, compared with array('i'), the ratio reads the same.
  await redrawn(page, () =>
    page.evaluate(() =>
      document
        .querySelector("boxed-vs-packed")
        .setState({ container: "list_append", compare: "container=array,typecode=i" }),
    ),
  );
  const h2 = (await shown(page)).headline;
  assert.ok(h2.includes(`list of ints (append) takes ${(lb / ab).toFixed(1)}× as much as array('i').`), h2);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("compare as a URL parameter and as an attribute; a bad one is named; a misfit is resolved", async () => {
  const q = encodeURIComponent("container=ndarray,dtype=int32,profile=cpython-3.11");
  let page = await openPage(ctx, `/index.html?n=1000&compare=${q}`);
  await rendered(page);
  let w = await shown(page);
  assert.equal(
    w.attr,
    "container=ndarray,dtype=int32,profile=cpython-3.11",
    "the page passes it on as an attribute",
  );
  assert.deepEqual(w.names, ["list of ints (append) on CPython 3.14", "ndarray int32 on CPython 3.11"]);
  const want = await modelLayout(page, {
    ...BASE,
    container: "ndarray",
    dtype: "int32",
    profile: "cpython-3.11",
    n: 1000,
  });
  assert.deepEqual(w.compare.totals, want.totals);
  assert.match(w.headline, /Compared with ndarray int32 on CPython 3\.11/);
  // The bars' table: both scenarios, each with its total bytes.
  const bars = widget(page).locator("section.bars");
  await bars.getByRole("button", { name: "Show table" }).click();
  const rows = await bars.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 2);
  assert.ok(
    rows[1].startsWith("ndarray int32 on CPython 3.11") && rows[1].endsWith(group(want.totals.requested)),
  );

  // An attribute changed after start is followed; a bad one is named with what is allowed.
  const set = (v) =>
    redrawn(page, () =>
      page.evaluate((x) => document.querySelector("boxed-vs-packed").setAttribute("compare", x), v),
    );
  await set("container=tuple");
  assert.equal((await shown(page)).names[1], "tuple of ints");
  await set("dtype=int128");
  w = await shown(page);
  assert.match(w.note, /compare=dtype=int128 ignored: dtype allowed: bool, int8, .*; using auto/);
  assert.equal(w.names[1], "ndarray uint64", "auto: the packed counterpart");
  await set("colour=red");
  assert.match(
    (await shown(page)).note,
    /compare=colour=red ignored: "colour=red" is not field=value, field one of container, typecode, dtype, profile/,
  );
  await set("container=tuple,container=array");
  assert.match((await shown(page)).note, /container is given twice: give each field once/);
  assert.deepEqual(page.problems, []);
  await page.close();

  // In the URL: named in the page's note, the usual comparison drawn.
  page = await openPage(ctx, `/index.html?compare=${encodeURIComponent("container=heap")}`);
  await rendered(page);
  w = await shown(page);
  assert.match(
    w.urlNote,
    /compare=container=heap ignored: container allowed: auto, list_append, .*ndarray; using auto/,
  );
  assert.equal(w.names[1], "ndarray uint64");
  await page.close();

  // A combination that does not fit (0 … 999 in array('b')) is resolved as the main scenario
  // is, with a note; what is drawn is layout()'s of the resolved scenario.
  page = await openPage(
    ctx,
    `/embed.html?n=1000&compare=${encodeURIComponent("container=array,typecode=b")}`,
  );
  await rendered(page);
  w = await shown(page);
  assert.match(w.note, /compare: values changed from int_range:0 to int_mod:128/);
  const b = await modelLayout(page, {
    ...BASE,
    container: "array",
    typecode: "b",
    values: { kind: "int_mod", k: 128 },
    n: 1000,
  });
  assert.deepEqual(w.compare.totals, b.totals);
  assert.equal(w.names[1], "array('b')");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the Compare with controls choose the comparison, and the URL keeps it", async () => {
  const page = await openPage(ctx, "/index.html?n=1000");
  await rendered(page);
  const open = widget(page).getByRole("button", { name: "Compare with…" });
  await open.click();
  // The controls load on first use (their own chunk), then open.
  await widget(page).locator(".compare-controls").waitFor();
  assert.equal(await open.getAttribute("aria-expanded"), "true");
  const group_ = widget(page).getByRole("group", { name: /Compare with/ });
  await group_.getByLabel("container").selectOption("tuple");
  await page.waitForURL(/compare=container%3Dtuple/);
  assert.equal((await shown(page)).names[1], "tuple of ints");
  await group_.getByLabel("Python").selectOption("cpython-3.11");
  await page.waitForURL(/compare=container%3Dtuple%2Cprofile%3Dcpython-3.11/);
  assert.equal((await shown(page)).names[1], "tuple of ints on CPython 3.11");
  // The dtype shows only for an ndarray; choosing one sets it.
  assert.equal(await group_.getByLabel("ndarray dtype").isVisible(), false);
  await group_.getByLabel("container").selectOption("ndarray");
  await group_.getByLabel("ndarray dtype").selectOption("float16");
  await page.waitForFunction(() =>
    document.querySelector("boxed-vs-packed").names[1].startsWith("ndarray float16"),
  );
  // Back to auto: the comparison and the URL forget the container, keep the Python.
  await group_.getByLabel("container").selectOption("auto");
  await page.waitForURL(/compare=dtype%3Dfloat16%2Cprofile%3Dcpython-3.11/);
  await widget(page)
    .locator(".compare-bar")
    .screenshot({ path: join(outDir, "compare-controls.png") });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("moving n redraws only the series' marker; changing the comparison redraws its lines", async () => {
  const page = await openPage(ctx, "/index.html?n=1000");
  await rendered(page);
  const pixels = () =>
    widget(page)
      .locator(".series canvas.main")
      .evaluate((c) => c.toDataURL());
  const marker = () =>
    widget(page)
      .locator(".series canvas.overlay")
      .evaluate((c) => c.toDataURL());
  const before = [await pixels(), await marker()];
  await redrawn(page, () =>
    page.evaluate(() => document.querySelector("boxed-vs-packed").setState({ n: 50000 })),
  );
  assert.equal(await pixels(), before[0], "the lines were not redrawn");
  assert.notEqual(await marker(), before[1], "the n marker moved");
  await redrawn(page, () =>
    page.evaluate(() => document.querySelector("boxed-vs-packed").setState({ compare: "container=tuple" })),
  );
  assert.notEqual(await pixels(), before[0], "a new comparison, new lines");
  assert.deepEqual(page.problems, []);
  await page.close();
});

for (const panel of ["series", "bars"]) {
  test(`a focused ${panel} chart keeps its tooltip in view`, async () => {
    const page = await openPage(ctx, "/index.html?n=1000", { viewport: { width: 1280, height: 600 } });
    await rendered(page);
    const canvas = widget(page).locator(`.${panel} canvas.main`);
    // The chart's top just above the bottom of the window: a tooltip below it would be off screen.
    // (First the object diagram above it, which loads as it comes into view, is drawn: its
    // height would otherwise move the chart after the tooltip was placed.)
    await widget(page).locator(".diagram").scrollIntoViewIfNeeded();
    await widget(page).locator(".diagram-body .loading").waitFor({ state: "detached" });
    await canvas.evaluate((c) => window.scrollBy(0, c.getBoundingClientRect().top - innerHeight + 60));
    await canvas.evaluate((c) => c.focus({ preventScroll: true }));
    await page.keyboard.press("ArrowRight");
    const tip = widget(page).locator(`.${panel} .tip`);
    await tip.waitFor({ state: "visible" });
    const r = await tip.evaluate((t) => {
      const b = t.getBoundingClientRect();
      return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, h: innerHeight, w: innerWidth };
    });
    // (within a pixel: scrolling is by whole pixels, layout has fractions of one)
    assert.ok(r.top >= -1 && r.bottom <= r.h + 1 && r.left >= 0 && r.right <= r.w, JSON.stringify(r));
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

for (const [scheme, width] of [
  ["light", 1280],
  ["dark", 1280],
  ["light", 375],
]) {
  test(`axe finds no violation with the comparison open (${scheme}, ${width} px); screenshots`, async () => {
    const phone = width < 500;
    const page = await openPage(ctx, "/index.html?container=array&typecode=q", {
      colorScheme: scheme,
      viewport: { width, height: phone ? 740 : 900 },
      ...(phone ? { hasTouch: true, isMobile: true } : {}),
    });
    await rendered(page);
    await widget(page).getByRole("button", { name: "Compare with…" }).click();
    await widget(page).locator(".compare-controls").waitFor();
    await page.addScriptTag({
      content: readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8"),
    });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document.querySelector("boxed-vs-packed"), {
        resultTypes: ["violations"],
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
    });
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    const name = `compare-array-q-${phone ? "phone-375" : `${scheme}-1280`}`;
    await widget(page).locator(".headline").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(outDir, `${name}-top.png`) });
    await widget(page)
      .locator("section.series")
      .screenshot({ path: join(outDir, `${name}-series.png`) });
    await widget(page)
      .locator("section.bars")
      .screenshot({ path: join(outDir, `${name}-bars.png`) });
    // The keyboard cursor's tooltip, as a reader sees it.
    await widget(page).locator(".series canvas.main").focus();
    await page.keyboard.press("ArrowLeft");
    await widget(page)
      .locator("section.series")
      .screenshot({ path: join(outDir, `${name}-series-cursor.png`) });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
