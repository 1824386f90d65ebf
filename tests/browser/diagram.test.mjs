// The object diagram: its boxes add up to layout()'s figures, shared objects are drawn once
// with an arrow per reference, every container draws, hover, focus and tap show a field's
// bytes and C member, large n says what it shows instead, and axe finds nothing. Screenshots
// of each case go to test-output/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { modelLayout, openPage, outDir, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();

/** Open the page at `query`, scroll the diagram into view and wait until it has drawn. */
async function openDiagram(query, opts = {}) {
  const page = await openPage(ctx, `/index.html?${query}`, opts);
  await rendered(page);
  const section = widget(page).locator("section.diagram");
  await section.scrollIntoViewIfNeeded();
  await section.locator(".obj").first().waitFor({ timeout: 15000 });
  return { page, section };
}

/** The boxes as drawn: role, label and the bytes of each field (read from the DOM). */
const drawnBoxes = (section) =>
  section.locator(".obj").evaluateAll((boxes) =>
    boxes.map((b) => ({
      role: b.dataset.role,
      index: Number(b.dataset.box),
      label: b.querySelector(".obj-title span").textContent,
      sizes: [...b.querySelectorAll(".fld")].map((f) => Number(f.dataset.size)),
      names: [...b.querySelectorAll(".fld")].map((f) => f.getAttribute("aria-label")),
    })),
  );

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const tree = (layout, label) => layout.tree.children.find((c) => c.label === label);

test("n = 5 ints on CPython 3.12: the drawn fields add up to layout()'s bytes", async () => {
  const { page, section } = await openDiagram("n=5&profile=cpython-3.12&values=int_range:1000");
  const scenario = await page.evaluate(() => document.querySelector("boxed-vs-packed").scenario());
  assert.equal(scenario.profile, "cpython-3.12");
  const layout = await modelLayout(page, scenario);
  const boxes = await drawnBoxes(section);
  const list = boxes.find((b) => b.label === "list object");
  const array = boxes.find((b) => b.label === "pointer array (ob_item)");
  assert.equal(sum(list.sizes), tree(layout, "list object").allocated);
  assert.equal(sum(array.sizes), tree(layout, "pointer array (ob_item)").allocated);
  assert.equal(sum(list.sizes) + sum(array.sizes), layout.container.allocated);
  const ints = boxes.filter((b) => b.role === "element");
  assert.equal(ints.length, layout.elements.distinct);
  assert.equal(sum(ints.map((b) => sum(b.sizes))), layout.elements.allocated);
  // Each int: the tree's per-object bytes, and 3.12's fields (lv_tag, not ob_size).
  const group = layout.tree.children.find((c) => c.kind === "objects");
  for (const b of ints) {
    assert.equal(sum(b.sizes), group.allocated / group.count);
    assert.ok(
      b.names.some((n) => n.startsWith("lv_tag: 8 bytes")),
      b.names.join("; "),
    );
  }
  // A pointer slot per element, five arrows into the int boxes, one into the pointer array;
  // and the name x's arrow to the list.
  const arrows = await section.locator("svg.arrows path[data-from]").count();
  assert.equal(arrows, 5 + 1);
  assert.equal(await section.locator('svg.arrows path[data-to="0"]:not([data-from])').count(), 1);
  await section.screenshot({ path: join(outDir, "diagram-list-5-ints-3.12.png") });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("shared small ints are drawn once, with an arrow from every slot that holds them", async () => {
  const { page, section } = await openDiagram("n=12&profile=cpython-3.12&values=int_mod:3");
  const boxes = await drawnBoxes(section);
  const shared = boxes.filter((b) => b.role === "shared");
  assert.deepEqual(
    shared.map((b) => b.label),
    ["int 0", "int 1", "int 2"],
  );
  for (const b of shared) {
    const into = await section.locator(`svg.arrows path[data-to="${b.index}"]`).count();
    assert.equal(into, 4, `${b.label} has 4 arrows`);
  }
  const layout = await modelLayout(
    page,
    await page.evaluate(() => document.querySelector("boxed-vs-packed").scenario()),
  );
  assert.equal(shared.length, layout.elements.distinct);
  assert.equal(layout.elements.allocated, 0);
  assert.match(
    await section.locator(".obj[data-role=shared] .badge").first().textContent(),
    /existed before/,
  );
  await page.close();

  // 3.15 caches ints up to 1024: 1000..1004 are shared there, and new objects on 3.14.
  const on = async (profile) => {
    const o = await openDiagram(`n=5&profile=${profile}&values=int_range:1000`);
    const b = await drawnBoxes(o.section);
    return {
      ...o,
      shared: b.filter((x) => x.role === "shared").length,
      made: b.filter((x) => x.role === "element").length,
    };
  };
  const a = await on("cpython-3.15");
  assert.deepEqual([a.shared, a.made], [5, 0]);
  await a.section.screenshot({ path: join(outDir, "diagram-3.15-small-ints-shared.png") });
  await a.page.close();
  const b = await on("cpython-3.14");
  assert.deepEqual([b.shared, b.made], [0, 5]);
  await b.page.close();
});

test("a float list, a 3.14 tuple, array('i') and an ndarray draw their own fields", async () => {
  const cases = [
    ["n=4&profile=wasm32-3.14&values=float_range:0", "diagram-floats-wasm32.png", ["ob_fval"], "float 0.0"],
    [
      "n=5&profile=cpython-3.14&container=tuple&values=int_range:1000",
      "diagram-tuple-3.14.png",
      ["ob_hash"],
      "int 1000",
    ],
    [
      "n=7&container=array&typecode=i&values=int_range:1000",
      "diagram-array-i.png",
      ["ob_descr", "[6] = 1006"],
      null,
    ],
    [
      "n=6&container=ndarray&dtype=float32&values=float_range:0",
      "diagram-ndarray.png",
      ["mem_handler", "[5] = 5.0"],
      null,
    ],
  ];
  for (const [query, shot, names, element] of cases) {
    const { page, section } = await openDiagram(query);
    const layout = await modelLayout(
      page,
      await page.evaluate(() => document.querySelector("boxed-vs-packed").scenario()),
    );
    const boxes = await drawnBoxes(section);
    const all = boxes.flatMap((b) => b.names);
    for (const n of names)
      assert.ok(
        all.some((x) => x.startsWith(`${n}:`)),
        `${query}: ${n} in ${all.join("; ")}`,
      );
    if (element)
      assert.ok(
        boxes.some((b) => b.label === element),
        `${query}: ${element}`,
      );
    // Pointer widths follow the profile: 4 bytes on wasm32.
    if (query.includes("wasm32")) assert.equal(boxes[0].sizes[1], 4);
    // The container's boxes add up to layout()'s container (sys.getsizeof-only bookkeeping aside).
    const mine = boxes.filter((b) => b.role === "container" || b.role === "buffer");
    assert.equal(sum(mine.map((b) => sum(b.sizes))), layout.container.allocated, query);
    await section.screenshot({ path: join(outDir, shot) });
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test("hover, keyboard focus and a tap show a field's bytes and its C struct member", async () => {
  const { page, section } = await openDiagram("n=3&profile=cpython-3.12&values=int_range:1000");
  const tip = section.locator(".tip");
  await section.locator(".obj[data-role=element] .fld").first().hover();
  await tip.waitFor({ state: "visible" });
  assert.match(
    await tip.textContent(),
    /ob_refcnt.*8 bytes at offset 0 of int 1000.*PyObject\.ob_refcnt \(Include\/object\.h\)/,
  );

  // Keyboard: one tab stop, arrows move, Enter follows a pointer.
  const first = section.locator('.fld[tabindex="0"]');
  assert.equal(await first.count(), 1);
  await first.focus();
  assert.match(await tip.textContent(), /GC header.*16 bytes.*PyGC_Head \(Include\/internal\/pycore_gc\.h\)/);
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowDown");
  assert.match(
    await tip.textContent(),
    /ob_item.*8 bytes at offset 40 of list object.*PyListObject\.ob_item \(Include\/cpython\/listobject\.h\)/,
  );
  await page.keyboard.press("Enter");
  assert.match(await tip.textContent(), /\[0\].*8 bytes at offset 0 of pointer array/);
  await page.keyboard.press("Enter");
  assert.match(await tip.textContent(), /ob_refcnt.*of int 1000/);
  assert.match(await section.locator(".diagram-status").textContent(), /ob_refcnt — 8 bytes/);
  await page.screenshot({ path: join(outDir, "diagram-keyboard.png") });
  await page.close();

  // A phone: the diagram scrolls inside the panel; a tap shows the field.
  const phone = await openDiagram("n=5&profile=cpython-3.12&values=int_range:1000", {
    viewport: { width: 375, height: 800 },
    hasTouch: true,
    isMobile: true,
  });
  const overflow = await phone.page.evaluate(() => {
    const w = document.querySelector("boxed-vs-packed").shadowRoot;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth + (w ? 0 : 1);
  });
  assert.ok(overflow <= 0, "the page itself does not scroll sideways");
  await phone.section.locator(".obj[data-role=container] .fld").nth(4).tap();
  await phone.section.locator(".tip").waitFor({ state: "visible" });
  assert.match(await phone.section.locator(".tip").textContent(), /ob_item.*8 bytes/);
  await phone.section.screenshot({ path: join(outDir, "diagram-phone-375.png") });
  assert.deepEqual(phone.page.problems, []);
  await phone.page.close();
});

test("past 12 elements the panel says what it shows instead, and the table lists every field", async () => {
  const { page, section } = await openDiagram("n=1000000&profile=cpython-3.12");
  assert.match(
    await section.locator(".diagram-limit").textContent(),
    /draws up to 12 elements; n = 1,000,000 is summarised in the other panels/,
  );
  assert.equal(await section.locator(".obj").count(), 1);
  // Another n past 12: the text follows, and the boxes are kept, not rebuilt.
  await section.locator(".obj").evaluate((b) => (b.dataset.kept = "yes"));
  await page.evaluate(() => document.querySelector("boxed-vs-packed").setState({ n: 2000000 }));
  await section.locator(".diagram-limit", { hasText: "n = 2,000,000" }).waitFor();
  assert.equal(await section.locator(".obj[data-kept=yes]").count(), 1);
  await page.close();

  // Loaded lazily: below the fold, nothing is drawn (nor its code fetched) until it is scrolled to.
  const lazy = await openPage(ctx, "/index.html?n=5");
  await rendered(lazy);
  const below = await lazy.evaluate(() => {
    const s = document.querySelector("boxed-vs-packed").shadowRoot.querySelector("section.diagram");
    return s.getBoundingClientRect().top > innerHeight;
  });
  if (below) {
    assert.equal(await widget(lazy).locator("section.diagram .obj").count(), 0);
    assert.equal(await widget(lazy).locator("section.diagram .loading").count(), 1);
  }
  await widget(lazy).locator("section.diagram").scrollIntoViewIfNeeded();
  await widget(lazy).locator("section.diagram .obj").first().waitFor();
  await lazy.close();

  const small = await openDiagram("n=2&profile=cpython-3.14&values=constant:7");
  await small.section.getByRole("button", { name: "Show as a table" }).click();
  const rows = small.section.locator("table tbody tr");
  // The list object's 7 fields, 4 slots (2 used, 2 spare: list_append grows to 4), the constant's 4.
  assert.equal(await rows.count(), 7 + 4 + 4);
  assert.match(await small.section.locator("table").textContent(), /PyListObject\.allocated/);
  assert.match(await small.section.locator("table").textContent(), /→ int 7/);
  await small.page.close();
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no violation of any impact in the diagram (${scheme})`, async () => {
    const { page, section } = await openDiagram("n=6&profile=cpython-3.14&values=int_mod:4", {
      colorScheme: scheme,
    });
    await section.locator(".fld").first().hover();
    await page.addScriptTag({
      content: readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8"),
    });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(
        { include: [{ fromShadowDom: ["boxed-vs-packed", "section.diagram"] }] },
        { resultTypes: ["violations"] },
      );
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
    });
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    if (scheme === "dark") await section.screenshot({ path: join(outDir, "diagram-dark.png") });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
