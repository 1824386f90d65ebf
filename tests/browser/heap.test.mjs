// The lab's heap map as a reader uses it: at n = 5 it opens on the structure's own bytes and a
// hover names an int's ob_refcnt; at n = 10**6 it shows arenas and pools, its legend filters,
// a click zooms in and Reset comes back; a tap reads before it zooms; the timing table picks
// its units; axe finds nothing in the lab panel. Screenshots go to test-output/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { openPage, outDir, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();

const heap = (page) => widget(page).locator("section.heap");
const dataset = (page) => heap(page).evaluate((s) => ({ ...s.dataset }));

/** Run the lab and wait until the heap map has drawn; returns the section's data attributes. */
async function runLab(page) {
  // The report the panel announces ("lab" event), for the test to compare with.
  await page.evaluate(() =>
    document.querySelector("boxed-vs-packed").addEventListener("lab", (e) => (window.labReport = e.detail)),
  );
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await page
    .locator(".lab-status")
    .filter({ hasText: "Measured equals modelled" })
    .waitFor({ timeout: 60000 });
  await page.waitForFunction(() =>
    document
      .querySelector("boxed-vs-packed")
      .shadowRoot.querySelector("section.heap[data-drawn]:not([data-empty])"),
  );
  await heap(page).locator("canvas.main").scrollIntoViewIfNeeded();
  return dataset(page);
}

/** Wait for the map to draw again after `action`. */
async function redrawn(page, action) {
  const before = Number((await dataset(page)).drawn);
  await action();
  await page.waitForFunction(
    (n) =>
      Number(
        document.querySelector("boxed-vs-packed").shadowRoot.querySelector("section.heap").dataset.drawn,
      ) > n,
    before,
  );
  return dataset(page);
}

/** A hash of the heap map canvas's pixels. */
const pixels = (page) =>
  heap(page)
    .locator("canvas.main")
    .evaluate((c) => {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
      return h;
    });

/**
 * Move the mouse over the map's cells, row by row, until the tooltip's first line starts with
 * `prefix`; returns the tooltip's lines and where the mouse was.
 */
async function hoverUntil(page, prefix) {
  const canvas = heap(page).locator("canvas.main");
  const box = await canvas.boundingBox();
  const { rowH, cellW, x0 } = await heap(page).evaluate((s) => ({
    rowH: Number(s.dataset.rowHeight),
    cellW: Number(s.dataset.cellWidth),
    x0: Number(s.dataset.axisWidth),
  }));
  for (let y = rowH / 2; y < box.height; y += rowH) {
    for (let x = x0 + cellW / 2; x < box.width; x += cellW) {
      await canvas.hover({ position: { x, y } });
      const tip = heap(page).locator(".tip");
      if (await tip.isHidden()) continue;
      const first = await tip.locator("strong").textContent();
      if (first.startsWith(prefix)) {
        const lines = await tip.locator("strong, span").allTextContents();
        return { lines, x, y };
      }
    }
  }
  throw new Error(`no cell's tooltip starts with ${prefix}`);
}

test("at n = 5 the map opens on the objects' bytes, and a hover names an int's ob_refcnt", async () => {
  const page = await openPage(
    ctx,
    "/index.html?n=5&container=list_append&values=int_range:0&profile=cpython-3.12",
  );
  await rendered(page);
  const d = await runLab(page);
  assert.equal(d.viewMode, "cells", "one cell per few bytes");
  assert.ok(Number(d.viewBytes) <= 4096, `the default view spans ${d.viewBytes} bytes`);
  assert.equal(d.cellBytes, "8", "one cell per 8 bytes at n = 5");
  const scale = await heap(page).locator(".heap-scale").textContent();
  assert.match(scale, /hex byte offsets in the lab's WebAssembly linear memory\. One cell = 8 bytes/);

  const { lines, x, y } = await hoverUntil(page, "int 3 (PyLongObject)");
  // The model: int 3 is a cached small int; its first 8 bytes are ob_refcnt.
  const start = await page.evaluate(() => {
    const h = window.labReport.heap;
    return h.labelStart[h.labelText.split("\n").findIndex((t) => t.startsWith("int 3 "))];
  });
  const hex = `0x${start.toString(16).padStart(8, "0")}`;
  assert.equal(lines[0], `int 3 (PyLongObject), element 3 · ob_refcnt · 8 bytes at ${hex}`);
  assert.match(
    lines[1],
    new RegExp(`^small int, cached \\(PyLongObject\\): a 32-byte block at ${hex}, 28 bytes requested$`),
  );
  // The screenshot as seen, the tooltip up: the page's own clip, not an element shot that scrolls.
  await heap(page).locator("canvas.main").hover({ position: { x, y } });
  const plot = await heap(page).locator(".plot").boundingBox();
  await page.screenshot({
    path: join(outDir, "heap-n5-bytes-hover.png"),
    clip: { x: 0, y: plot.y - 60, width: 1280, height: plot.height + 200 },
  });

  // The whole heap is one button away (pixels of many bytes), and Reset comes back.
  const whole = await redrawn(page, () => heap(page).getByRole("button", { name: "Whole heap" }).click());
  assert.equal(whole.viewMode, "pixels");
  assert.ok(Number(whole.viewBytes) >= 1 << 20, `a 1 MiB arena at least: ${whole.viewBytes}`);
  const home = await redrawn(page, () => heap(page).getByRole("button", { name: "Reset zoom" }).click());
  assert.equal(home.viewBytes, d.viewBytes);

  // The keyboard reads the same cells: Home goes to the first, the right arrow to the next.
  await heap(page).locator("canvas.main").focus();
  const address = async () => /address (0x[0-9a-f]+)/.exec(await heap(page).locator("p.sr").textContent())[1];
  await page.keyboard.press("Home");
  const first = Number(await address());
  await page.keyboard.press("ArrowRight");
  assert.equal(Number(await address()), first + 8, "one cell is 8 bytes on");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("at n = 10**6 the map shows arenas and pools, the legend filters, a click zooms and Reset restores", async () => {
  const page = await openPage(ctx, "/index.html?n=1000000&profile=cpython-3.12");
  await rendered(page);
  const home = await runLab(page);
  assert.equal(home.viewMode, "pixels");
  assert.ok(Number(home.frames) >= 33, `32 arenas and the pointer array's mapping marked: ${home.frames}`);
  assert.match(await heap(page).locator(".heap-scale").textContent(), /pymalloc arenas \(1\.00 MiB each\)/);
  await heap(page).screenshot({ path: join(outDir, "heap-n1e6-arenas-legend.png") });

  // The legend filters: object headers off (the ints' blocks are mostly header), then on.
  const header = heap(page).getByRole("button", { name: "object header" });
  assert.equal(await header.getAttribute("aria-pressed"), "true");
  const shown = await pixels(page);
  await redrawn(page, () => header.click());
  assert.equal(await header.getAttribute("aria-pressed"), "false");
  const filtered = await pixels(page);
  assert.notEqual(filtered, shown, "hiding object headers changes the map");
  await heap(page).screenshot({ path: join(outDir, "heap-n1e6-filtered.png") });
  // By keyboard: the toggle is a button; Space presses it.
  await header.focus();
  await redrawn(page, () => page.keyboard.press("Space"));
  assert.equal(await header.getAttribute("aria-pressed"), "true");
  assert.equal(await pixels(page), shown, "shown again, the map is as before");

  // A click zooms into the arena under it, Enter into a pool, and Reset comes back.
  const canvas = heap(page).locator("canvas.main");
  const box = await canvas.boundingBox();
  const zoomed = await redrawn(page, () =>
    canvas.click({ position: { x: box.width * 0.6, y: box.height * 0.7 } }),
  );
  assert.ok(Number(zoomed.viewBytes) < Number(home.viewBytes) / 4, `${zoomed.viewBytes} < ${home.viewBytes}`);
  const pool = await redrawn(page, () => page.keyboard.press("Enter"));
  assert.ok(Number(pool.viewBytes) < Number(zoomed.viewBytes), `${pool.viewBytes} < ${zoomed.viewBytes}`);
  await heap(page).screenshot({ path: join(outDir, "heap-n1e6-zoomed.png") });
  const back = await redrawn(page, () => heap(page).getByRole("button", { name: "Zoom out" }).click());
  assert.equal(back.viewBytes, zoomed.viewBytes, "zoom out goes one step back");
  const reset = await redrawn(page, () => heap(page).getByRole("button", { name: "Reset zoom" }).click());
  assert.equal(reset.viewBytes, home.viewBytes);
  assert.equal(await heap(page).getByRole("button", { name: "Reset zoom" }).isDisabled(), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("on a phone a tap reads a cell, a second tap zooms; dark mode and 375 px screenshots", async () => {
  const page = await openPage(ctx, "/index.html?n=5&profile=cpython-3.12", {
    viewport: { width: 375, height: 800 },
    hasTouch: true,
    isMobile: true,
    colorScheme: "dark",
  });
  await rendered(page);
  const d = await runLab(page);
  const width = await heap(page)
    .locator("canvas.main")
    .evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(width <= 375, `the map fits the phone: ${width}px`);
  const canvas = heap(page).locator("canvas.main");
  const box = await canvas.boundingBox();
  const at = { x: Number(d.axisWidth) + Number(d.cellWidth) * 1.5, y: box.height - Number(d.rowHeight) / 2 };
  await canvas.tap({ position: at });
  assert.equal(await heap(page).locator(".tip").isVisible(), true, "a tap shows what is there");
  assert.equal((await dataset(page)).viewBytes, d.viewBytes, "and does not zoom");
  await heap(page).screenshot({ path: join(outDir, "heap-phone-dark-tap.png") });
  const after = await redrawn(page, () => canvas.tap({ position: at }));
  assert.ok(Number(after.viewBytes) < Number(d.viewBytes), "a second tap there zooms in");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the timing table picks ns, µs or ms and never shows 0.0", async () => {
  for (const n of [5, 1000000]) {
    const page = await openPage(ctx, `/index.html?n=${n}&profile=cpython-3.12`);
    await rendered(page);
    await runLab(page);
    const cells = await page.locator(".lab-times td").allTextContents();
    assert.ok(cells.length >= 12);
    for (const c of cells) {
      assert.doesNotMatch(c, /(^|\D)0\.0+ (ns|µs|ms)/, `"${c}"`);
      assert.doesNotMatch(c, /\d{4,}(\.\d+)? ns/, `"${c}": thousands of ns are µs`);
      assert.doesNotMatch(c, /\d{4,}(\.\d+)? µs/, `"${c}": thousands of µs are ms`);
    }
    const perElement = cells.filter((c) => c.endsWith("per element"));
    if (n === 5) {
      // Microseconds each at n = 5, or "< 20.0 µs" where the clock cannot tell.
      assert.ok(
        perElement.every((c) => /µs per element$/.test(c)),
        perElement.join(" | "),
      );
      assert.ok(cells.some((c) => c.includes("below the timer's resolution")));
      assert.match(await page.locator(".lab-times caption").textContent(), /rounds to 100 µs/);
    } else
      assert.ok(
        perElement.some((c) => / ns per element$/.test(c)),
        perElement.join(" | "),
      );
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no violation in the lab panel after a run (${scheme})`, async () => {
    const page = await openPage(ctx, "/index.html?n=5&profile=cpython-3.12", { colorScheme: scheme });
    await rendered(page);
    await runLab(page);
    // The map's data table too: live blocks by kind, then arenas and pools.
    await heap(page).getByRole("button", { name: "Show table" }).click();
    const rows = await heap(page).locator(".table-wrap tbody th").allTextContents();
    assert.ok(rows.includes("list object (PyListObject)"), rows.join(" | "));
    assert.ok(rows.includes("pymalloc arenas (allocator structure)"), rows.join(" | "));
    await page.addScriptTag({
      content: readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8"),
    });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(
        { include: [["boxed-vs-packed", "section.heap"]] },
        { resultTypes: ["violations"] },
      );
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
    });
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    if (scheme === "dark") await heap(page).screenshot({ path: join(outDir, "heap-n5-dark.png") });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
