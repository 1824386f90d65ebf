// The flame graph as people know it from memray, Fil and speedscope: a tap shows a frame's details
// out from under the finger and a second tap zooms; search highlights frames and counts their
// bytes once; the zoom path zooms out; a flame or an icicle; the keyboard starts on the largest
// part and Home/End move between frames without scrolling the page; axe finds nothing. Every
// number is checked against layout(). Screenshots go to test-output/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { modelLayout, openPage, outDir, renderCount, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();
const group = (n) => n.toLocaleString("en-US");
const PHONE = { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true };

/** Nodes of a layout tree in preorder (the flame graph's frame indices) with their parents. */
function preorder(tree) {
  const out = [];
  const walk = (node, parent) => {
    const i = out.length;
    out.push({ node, parent });
    node.children.forEach((c) => walk(c, i));
  };
  walk(tree, -1);
  return out;
}

/** The `nth` frame whose label starts with `prefix`: its index, label and drawn rect (CSS px). */
async function frame(page, prefix, nth = 0) {
  const f = await page.evaluate(
    ([p, k]) => {
      const w = document.querySelector("boxed-vs-packed");
      const order = [];
      const walk = (n) => {
        order.push(n);
        n.children.forEach(walk);
      };
      walk(w.layout.tree);
      const i = order.map((n, j) => (n.label.startsWith(p) ? j : -1)).filter((j) => j >= 0)[k];
      return { i, label: order[i]?.label, rect: Array.from(w.explorer.frameRect(i ?? 0)) };
    },
    [prefix, nth],
  );
  assert.ok(f.i >= 0 && f.rect.length === 4, `a drawn frame labelled ${prefix}… (${JSON.stringify(f)})`);
  return f;
}

const canvas = (page) => widget(page).locator(".flame canvas.main");
const centre = ({ rect: [x, y, w, h] }) => ({ x: x + w / 2, y: y + h / 2 });
const crumbs = (page) => widget(page).locator(".flame .crumbs button").allTextContents();
const zoomed = (page) => widget(page).getByRole("button", { name: "Reset zoom" }).isEnabled();
/** Wait for the next drawing of the widget after `before` draws. */
const redrawn = (page, before) => rendered(page, before + 1);

/** The scenario the page shows (the widget's own), for layout(). */
const scenario = (page) => page.evaluate(() => document.querySelector("boxed-vs-packed").scenario());

/** Following the largest part (by `acc`, the first of equals) from the root down to a leaf. */
function largestPath(tree, acc) {
  const path = [tree];
  for (let n = tree; n.children.some((c) => c[acc] > 0);) {
    n = n.children.reduce((a, c) => (c[acc] > a[acc] ? c : a));
    path.push(n);
  }
  return path;
}

async function axePanel(page) {
  await page.addScriptTag({ content: readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async () => {
    const r = await window.axe.run(
      { include: [["boxed-vs-packed", "section.flame"]] },
      { resultTypes: ["violations"] },
    );
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
  });
}

test("a tap selects a frame and shows its details below the graph; a second tap zooms", async () => {
  const page = await openPage(ctx, "/index.html", PHONE);
  await rendered(page);
  const section = widget(page).locator("section.flame");
  await section.scrollIntoViewIfNeeded();
  assert.match(
    await section.locator(".lede").textContent(),
    /Tap a frame for its details/,
    "the instructions say tap",
  );
  const model = await modelLayout(page, await scenario(page));
  // The ints' ob_refcnt: on a phone its frame is too narrow for its label.
  const f = await frame(page, "ob_refcnt", 1);
  const node = preorder(model.tree)[f.i].node;
  assert.equal(node.label, "ob_refcnt");
  const at = centre(f);
  await canvas(page).tap({ position: at });
  const details = section.locator(".details");
  await details.waitFor({ state: "visible" });
  const text = await details.textContent();
  assert.ok(text.startsWith(`ob_refcnt × ${group(node.count)}`), `the full label first: "${text}"`);
  assert.ok(text.includes(`tracemalloc: ${group(node.requested)} bytes ◂`), text);
  const share = ((100 * node.requested) / model.totals.requested).toFixed(1);
  assert.ok(text.includes(`${share}% of the total`), `share ${share}% in "${text}"`);
  assert.ok(text.includes("CPython struct member: ob_refcnt"), text);
  assert.ok(text.includes(node.explain), "the explanation");
  assert.equal(await section.locator(".tip").isVisible(), false, "no tooltip over the graph");
  assert.equal(await zoomed(page), false, "the first tap does not zoom");
  // The details are out from under the finger: below the graph, not over the tapped frame.
  const box = await canvas(page).boundingBox();
  const d = await details.boundingBox();
  assert.ok(
    d.y >= box.y + box.height - 1,
    `details (top ${d.y}) below the graph (bottom ${box.y + box.height})`,
  );
  const [fx, fy, fw, fh] = f.rect;
  const overlaps =
    d.x < box.x + fx + fw &&
    box.x + fx < d.x + d.width &&
    d.y < box.y + fy + fh &&
    box.y + fy < d.y + d.height;
  assert.equal(overlaps, false, "the details do not cover the tapped frame");
  await section.screenshot({ path: join(outDir, "flame-phone-tap-details.png") });

  // Tapping it again zooms into it; its details stay, and now offer to zoom out.
  const before = await renderCount(page);
  await canvas(page).tap({ position: at });
  await redrawn(page, before);
  assert.equal(await zoomed(page), true, "the second tap zooms");
  assert.deepEqual((await crumbs(page)).at(-1), "ob_refcnt");
  const full = (await frame(page, "ob_refcnt", 1)).rect[2];
  assert.ok(Math.abs(full - box.width) < 1, `the zoomed frame is full width (${full} of ${box.width})`);
  assert.equal(await details.getByRole("button").textContent(), "Zoom out");
  await section.screenshot({ path: join(outDir, "flame-phone-tap-zoomed.png") });

  // The Zoom in button zooms too: out to the root, then select the pointer array and zoom.
  const drawnBefore = await renderCount(page);
  await section.getByRole("button", { name: "Reset zoom" }).tap();
  await redrawn(page, drawnBefore);
  const ptr = await frame(page, "pointer array");
  await canvas(page).tap({ position: centre(ptr) });
  await details.filter({ hasText: /^pointer array/ }).waitFor();
  assert.ok((await details.textContent()).includes("CPython struct member pointing here: ob_item"));
  await details.getByRole("button", { name: "Zoom in" }).tap();
  await widget(page)
    .locator(".crumbs [aria-current]")
    .filter({ hasText: /^pointer array/ })
    .waitFor();
  assert.match((await crumbs(page)).at(-1), /^pointer array/);
  const violations = await axePanel(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("search highlights matching frames and gives their share of the bytes, counted once", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  const section = widget(page).locator("section.flame");
  await section.scrollIntoViewIfNeeded();
  const model = await modelLayout(page, await scenario(page));
  const nodes = preorder(model.tree);
  const find = section.locator("input[type=search]");
  const status = section.locator(".find-status");
  for (const q of ["ob_refcnt", "list", "SLOTS", "no such field"]) {
    await find.fill(q);
    // The truth: matches whose ancestors do not match (their bytes are already in an ancestor's).
    // (the root, x as a whole, is not searched)
    const hit = (i) => nodes[i].parent >= 0 && nodes[i].node.label.toLowerCase().includes(q.toLowerCase());
    const hits = nodes.map((_, i) => i).filter(hit);
    const top = hits.filter((i) => {
      let a = nodes[i].parent;
      while (a >= 0 && !hit(a)) a = nodes[a].parent;
      return a < 0;
    });
    const sum = top.reduce((s, i) => s + nodes[i].node.requested, 0);
    const total = model.totals.requested;
    const want = hits.length
      ? `${q}: ${group(sum)} bytes, ${((100 * sum) / total).toFixed(1)}% of ${group(total)} bytes by tracemalloc (${hits.length} frame${hits.length === 1 ? "" : "s"})`
      : `${q}: no frame matches`;
    await page.waitForFunction(
      (w) =>
        document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".find-status").textContent === w,
      want,
    );
    if (q === "list") assert.ok(sum < total, "the root is not a match: the list's own parts are");
    if (q === "ob_refcnt") {
      assert.equal(hits.length, 2, "the list's and the ints' ob_refcnt");
      await section.screenshot({ path: join(outDir, "flame-search.png") });
    }
  }
  assert.equal(await status.getAttribute("role"), "status");

  // Matches are left bright and outlined, the rest dimmed on the overlay.
  await find.fill("ob_refcnt");
  const alphaAt = (f) =>
    section.locator("canvas.overlay").evaluate(
      (c, [x, y]) => {
        const r = window.devicePixelRatio || 1;
        return c.getContext("2d").getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data[3];
      },
      Object.values(centre(f)),
    );
  assert.equal(await alphaAt(await frame(page, "ob_refcnt", 1)), 0, "a match is not dimmed");
  assert.ok((await alphaAt(await frame(page, "ob_type", 1))) > 100, "a frame that does not match is dimmed");
  await find.fill("");
  await page.waitForFunction(
    () =>
      document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".find-status").textContent === "",
  );
  assert.equal(await alphaAt(await frame(page, "ob_type", 1)), 0, "cleared, nothing is dimmed");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the zoom path shows where the graph is zoomed, and a click on it zooms out", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  await canvas(page).scrollIntoViewIfNeeded();
  const model = await modelLayout(page, await scenario(page));
  const top = (await canvas(page).boundingBox()).y;
  // The interaction, loaded after the first render, draws the path (the root alone).
  await canvas(page).hover({ position: { x: 5, y: 5 } });
  await page.waitForFunction(
    () =>
      document.querySelector("boxed-vs-packed").shadowRoot.querySelectorAll(".crumbs button").length === 1,
  );
  assert.deepEqual(await crumbs(page), [model.tree.label]);
  assert.equal((await canvas(page).boundingBox()).y, top, "the path had its room: the graph did not move");
  const ints = await frame(page, "int objects");
  let before = await renderCount(page);
  await canvas(page).click({ position: centre(ints) });
  await redrawn(page, before);
  const type = await frame(page, "ob_type", 1);
  before = await renderCount(page);
  await canvas(page).click({ position: centre(type) });
  await redrawn(page, before);
  assert.deepEqual(await crumbs(page), [model.tree.label, ints.label, "ob_type"]);
  const current = widget(page).locator(".crumbs [aria-current=location]");
  assert.equal(await current.textContent(), "ob_type");
  await widget(page)
    .locator("section.flame")
    .screenshot({ path: join(outDir, "flame-breadcrumb.png") });
  // Out one step, then to the root.
  before = await renderCount(page);
  await widget(page).locator(".crumbs").getByRole("button", { name: ints.label }).click();
  await redrawn(page, before);
  assert.deepEqual(await crumbs(page), [model.tree.label, ints.label]);
  assert.equal(
    (await frame(page, "ob_type", 1)).rect[2] < (await canvas(page).boundingBox()).width / 2,
    true,
  );
  before = await renderCount(page);
  await widget(page).locator(".crumbs").getByRole("button", { name: model.tree.label }).click();
  await redrawn(page, before);
  assert.deepEqual(await crumbs(page), [model.tree.label]);
  assert.equal(await zoomed(page), false);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("flame or icicle: the toggle flips the graph, and hover and the keyboard follow", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  await canvas(page).scrollIntoViewIfNeeded();
  const icicle = { root: await frame(page, "x: "), leaf: await frame(page, "ob_refcnt", 1) };
  assert.equal(icicle.root.rect[1], 0, "an icicle has its root on top");
  const flip = widget(page).getByRole("button", { name: "Flame: root at the bottom" });
  assert.equal(await flip.getAttribute("aria-pressed"), "false");
  const before = await renderCount(page);
  await flip.click();
  await redrawn(page, before);
  assert.equal(await flip.getAttribute("aria-pressed"), "true");
  const height = (await canvas(page).boundingBox()).height;
  const flame = { root: await frame(page, "x: "), leaf: await frame(page, "ob_refcnt", 1) };
  assert.equal(flame.root.rect[1] + flame.root.rect[3], height, "a flame has its root at the bottom");
  assert.notEqual(flame.leaf.rect[1], icicle.leaf.rect[1], "the ints' ob_refcnt moved");
  assert.ok(flame.leaf.rect[1] < flame.root.rect[1]);
  // Hit-testing finds the frame where it is now drawn (the panel at the top of the window, for
  // its screenshot with the tooltip).
  await widget(page)
    .locator("section.flame")
    .evaluate((s) => s.scrollIntoView({ block: "start" }));
  await canvas(page).hover({ position: centre(flame.leaf) });
  const tip = widget(page).locator(".flame .tip");
  await tip.filter({ hasText: /^ob_refcnt/ }).waitFor();
  assert.ok((await tip.textContent()).includes("tracemalloc: "));
  // The panel and the tooltip, which hangs below it.
  const [sb, tb] = [await widget(page).locator("section.flame").boundingBox(), await tip.boundingBox()];
  const bottom = Math.max(sb.y + sb.height, tb.y + tb.height);
  await page.screenshot({
    path: join(outDir, "flame-orientation.png"),
    clip: { x: sb.x, y: sb.y, width: sb.width, height: bottom - sb.y },
  });
  // Toward the parts is up in a flame.
  await page.mouse.move(0, 0);
  await canvas(page).focus();
  await page.keyboard.press("Home");
  await tip.filter({ hasText: /^x: / }).waitFor();
  await page.keyboard.press("ArrowUp");
  await tip.filter({ hasText: /^int objects/ }).waitFor();
  await page.keyboard.press("ArrowDown");
  await tip.filter({ hasText: /^x: / }).waitFor();
  // A click zooms, and the zoom path follows, in a flame too.
  const ints = await frame(page, "int objects");
  const drawn = await renderCount(page);
  await canvas(page).click({ position: centre(ints) });
  await redrawn(page, drawn);
  assert.deepEqual((await crumbs(page)).at(-1), ints.label);
  const zoomedInts = await frame(page, "int objects");
  assert.ok(Math.abs(zoomedInts.rect[2] - (await canvas(page).boundingBox()).width) < 1, "full width");
  assert.ok(zoomedInts.rect[1] > (await frame(page, "ob_refcnt", 1)).rect[1], "its parts above it");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the arrow keys start on the largest part; Home and End move between frames, not the page", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  const model = await modelLayout(page, await scenario(page));
  const path = largestPath(model.tree, "requested");
  assert.ok(path.length >= 3);
  await canvas(page).evaluate((c) => c.scrollIntoView({ block: "center" }));
  const tip = widget(page).locator(".flame .tip");
  await canvas(page).focus();
  await page.keyboard.press("ArrowDown");
  await tip.filter({ hasText: path[1].label }).waitFor();
  assert.ok((await tip.textContent()).startsWith(path[1].label), "the largest part, not the list object");
  assert.notEqual(path[1].label, model.tree.children[0].label, "the largest part is not the first");
  await page.keyboard.press("ArrowDown");
  assert.ok((await tip.textContent()).startsWith(path[2].label));
  // Left and right move among the siblings.
  await page.keyboard.press("ArrowRight");
  assert.ok((await tip.textContent()).startsWith(path[1].children[1].label));
  await page.keyboard.press("ArrowLeft");
  assert.ok((await tip.textContent()).startsWith(path[2].label));

  await page.keyboard.press("Home");
  assert.ok((await tip.textContent()).startsWith(model.tree.label), "Home: the whole");
  const y = await page.evaluate(() => window.scrollY);
  await page.keyboard.press("End");
  assert.ok((await tip.textContent()).startsWith(path.at(-1).label), "End: down the largest parts");
  assert.equal(await page.evaluate(() => window.scrollY), y, "End does not scroll the page");
  await page.keyboard.press("Home");
  assert.equal(await page.evaluate(() => window.scrollY), y, "nor does Home");
  assert.match(await widget(page).locator(".flame .sr").textContent(), /^x: /, "the live region says where");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the tooltip stays in view when the keyboard reaches the graph, and axe finds nothing (dark)", async () => {
  const page = await openPage(ctx, "/index.html", {
    colorScheme: "dark",
    viewport: { width: 1280, height: 700 },
  });
  await rendered(page);
  // The graph at the very bottom of the window: its tooltip would open below it, out of view.
  await canvas(page).evaluate((c) => {
    const r = c.getBoundingClientRect();
    window.scrollBy(0, r.bottom - window.innerHeight + 2);
  });
  await widget(page).locator("section.flame input[type=search]").fill("slots");
  await canvas(page).focus();
  await page.keyboard.press("ArrowDown");
  const tip = widget(page).locator(".flame .tip");
  await tip.waitFor({ state: "visible" });
  const box = await tip.boundingBox();
  assert.ok(
    box.y >= 0 && box.y + box.height <= 700 + 1,
    `the tooltip is in the window (${JSON.stringify(box)})`,
  );
  await page.screenshot({ path: join(outDir, "flame-dark.png") });
  const violations = await axePanel(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("if the interaction cannot load, the graph says so and the rest of the panel works", async () => {
  const page = await openPage(ctx, null);
  // The flame graph's interaction chunk (the one that names struct members) fails to load.
  await page.route("**/www/chunk-*.js", async (r) => {
    const res = await r.fetch();
    if ((await res.text()).includes("CPython struct member")) await r.abort("aborted");
    else await r.fulfill({ response: res });
  });
  await page.goto(`${ctx.url}/index.html`);
  await rendered(page);
  const section = widget(page).locator("section.flame");
  await canvas(page).hover();
  await section.locator(".find-status").filter({ hasText: "could not load: reload the page" }).waitFor();
  await section.getByRole("button", { name: "Show table" }).click();
  assert.ok((await section.locator("table tbody tr").count()) > 5, "the table still shows");
  assert.deepEqual(page.problems, []);
  await page.close();
});
