// Issue 13 on the page: list literals, ints computed by addition, containers built from a list,
// ndarray shapes and views, from URL parameters, widget attributes and the controls; each one's
// figures equal layout()'s, the story tells it, the code panel shows it, and bad input is named.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { modelLayout, openPage, outDir, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();
const state = (page) => page.evaluate(() => document.querySelector("boxed-vs-packed").state);
const drawn = (page) => page.evaluate(() => document.querySelector("boxed-vs-packed").layout);
const text = (page, id) => page.locator(`#${id}`).evaluate((n) => n.textContent.replace(/\s+/g, " ").trim());

async function open(path) {
  const page = await openPage(ctx, path);
  await page.waitForSelector("body[data-ready=true]");
  await rendered(page);
  return page;
}

const CASES = [
  {
    q: "container=list_literal&n=5&values=int_range:1000&profile=cpython-3.9",
    scenario: {
      container: "list_literal",
      values: { kind: "int_range", start: 1000 },
      n: 5,
      profile: "cpython-3.9",
    },
    // 3.9 folds the constants into a tuple and list_resize gives 8 slots: 56 + 64 (real 3.9.18: 120)
    getsizeof: 120,
    lead: /^Put 5 ints in a list literal, \[v0, v1, …\] written out, on CPython 3\.9/,
    code: "x = [1000, 1001, 1002, 1003, 1004]",
  },
  {
    q: "container=list_comprehension&n=1000&values=int_offset:1099511627776:0&profile=cpython-3.12",
    scenario: {
      container: "list_comprehension",
      values: { kind: "int_offset", base: 1099511627776, start: 0 },
      n: 1000,
      profile: "cpython-3.12",
    },
    lead: /^Put 1,000 ints in a list comprehension on CPython 3\.12/,
    code: "b = 1099511627776\nx = [b + i for i in range(0, 0 + n)]",
  },
  {
    q: "container=tuple&n=1000&source=list",
    scenario: {
      container: "tuple",
      values: { kind: "int_range", start: 0 },
      n: 1000,
      profile: "cpython-3.14",
      source: "list",
    },
    lead: /^Put 1,000 ints in a tuple built from an existing list src on CPython 3\.14/,
    code: "src = list(range(0, 0 + n))  # made before x, not counted\nx = tuple(src)",
  },
  {
    q: "container=ndarray&dtype=int64&n=1000000&shape=1000,1000",
    scenario: {
      container: "ndarray",
      dtype: "int64",
      values: { kind: "int_range", start: 0 },
      n: 1000000,
      profile: "cpython-3.14",
      shape: [1000, 1000],
    },
    getsizeof: 128,
    lead: /reshaped to \(1000, 1000\)/,
    code: "x = np.arange(0, 0 + n, dtype=np.int64).reshape((1000, 1000))",
  },
  {
    q: "container=ndarray&dtype=int64&n=1000&view=-3",
    scenario: {
      container: "ndarray",
      dtype: "int64",
      values: { kind: "int_range", start: 0 },
      n: 1000,
      profile: "cpython-3.14",
      view: { step: -3 },
    },
    getsizeof: 112,
    lead: /^x = base\[::-3\] on CPython 3\.14, a view of 334 ints out of the 1,000/,
    code: "base = np.arange(0, 0 + n, dtype=np.int64)  # made before x, not counted\nx = base[::-3]",
  },
];

for (const c of CASES) {
  test(`${c.q}: the widget draws layout()'s figures, the story and the code follow`, async () => {
    const page = await open(`/index.html?${c.q}`);
    const want = await modelLayout(page, c.scenario);
    const got = await drawn(page);
    assert.deepEqual(got.totals, want.totals);
    assert.deepEqual(got.container, want.container);
    if (c.getsizeof) assert.equal(got.container.getsizeof, c.getsizeof);
    assert.match(await text(page, "lead"), c.lead);
    assert.equal(await widget(page).locator(".code pre code").first().textContent(), c.code);
    const check = await widget(page).locator(".code pre code").nth(1).textContent();
    assert.ok(check.includes(`expected ${want.totals.requested}`), check);
    assert.equal(await widget(page).locator("p.note[role=status]").textContent(), "", "no note");
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

test("a long literal shows its first items and its last, and copies all of them", async () => {
  const context = await ctx.browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(`${ctx.url}/index.html?container=list_literal&n=10000`);
  await rendered(page);
  const shown = await widget(page).locator(".code pre code").first().textContent();
  assert.equal(
    shown,
    "x = [0, 1, 2, 3, 4, 5, 6, 7, …, 9999]  # 10,000 items, all of them in the copied code",
  );
  await widget(page).getByRole("button", { name: "Copy the code" }).click();
  await page.waitForFunction(async () => (await navigator.clipboard.readText()).length > 40000);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.split(", ").length, 10000);
  assert.match(await text(page, "p-container"), /^x = \[0, 1, 2, …, 9999\] on CPython 3\.14/);
  await context.close();
});

test("bad and misfit forms are named, and the widget draws the nearest valid scenario", async () => {
  const page = await open("/index.html?container=list_literal&n=50000&shape=abc&view=0&source=dict");
  const note = await widget(page).locator("p.note[role=status]").textContent();
  const url = await page.locator(".url-note").textContent();
  assert.match(url, /shape=abc ignored: a shape is 1 to 7 whole numbers/);
  assert.match(url, /view=0 ignored: a view's step is a whole number other than 0/);
  assert.match(url, /source=dict ignored: allowed: list/);
  assert.match(note, /n changed from 50000 to 10000: a list_literal is written out in full/);
  assert.equal((await state(page)).n, 10000);
  assert.equal((await drawn(page)).elements.count, 10000);
  await page.close();

  // The slider under a 2-D shape: the columns stay, the rows follow n.
  const p2 = await open("/index.html?container=ndarray&dtype=int64&shape=1000,1000");
  await p2.evaluate(() => document.querySelector("boxed-vs-packed").setState({ n: 5000 }));
  await p2.waitForFunction(() => document.querySelector("boxed-vs-packed").state.shape === "5,1000");
  assert.match(
    await widget(p2).locator("p.note[role=status]").textContent(),
    /shape changed from 1000,1000 to 5,1000/,
  );
  await p2.waitForURL(/shape=5%2C1000/);
  // A shape on a list is dropped with a note, not a dead widget.
  await p2.evaluate(() => document.querySelector("boxed-vs-packed").setState({ container: "list_append" }));
  await p2.waitForFunction(() => document.querySelector("boxed-vs-packed").state.shape === "");
  assert.match(
    await widget(p2).locator("p.note[role=status]").textContent(),
    /shape 5,1000 dropped: only an ndarray has a shape/,
  );
  assert.deepEqual(p2.problems, []);
  await p2.close();
});

test("the controls reach every form: literal, base + i, built from a list, shape, view", async () => {
  const page = await open("/index.html?n=1000");
  const w = widget(page);
  await w.getByLabel("container").selectOption("list_literal");
  await page.waitForFunction(() =>
    document.querySelector("boxed-vs-packed").layout.tree.label.includes("list literal"),
  );
  await w.getByLabel("values").selectOption("int_offset");
  await page.waitForFunction(
    () => document.querySelector("boxed-vs-packed").state.values === "int_offset:1099511627776:0",
  );
  await w.getByLabel("i from (base + i)").fill("-5");
  await w.getByLabel("i from (base + i)").press("Enter");
  await page.waitForFunction(
    () => document.querySelector("boxed-vs-packed").state.values === "int_offset:1099511627776:-5",
  );
  await w.getByLabel("container").selectOption("tuple");
  await w.getByLabel("built from").selectOption("list");
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.source === "list");
  await w.getByLabel("container").selectOption("ndarray");
  // int_offset is a list's and tuple's: the ndarray takes the same numbers as a range.
  await page.waitForFunction(() =>
    document.querySelector("boxed-vs-packed").state.values.startsWith("int_range:"),
  );
  await w.getByLabel("built from").selectOption("");
  await w.getByLabel("shape (reshape)").fill("10, 100");
  await w.getByLabel("shape (reshape)").press("Enter");
  await page.waitForFunction(
    () => document.querySelector("boxed-vs-packed").layout.container.getsizeof === 128,
  );
  await w.getByLabel("shape (reshape)").fill("");
  await w.getByLabel("shape (reshape)").press("Enter");
  await w.getByLabel("view step (base[::step])").fill("2");
  await w.getByLabel("view step (base[::step])").press("Enter");
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").layout.container.length === 500);
  await w.locator("form.controls").screenshot({ path: join(outDir, "forms-controls.png") });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("widget attributes take the forms too", async () => {
  const page = await open("/index.html");
  await page.evaluate(() => {
    const w = document.querySelector("boxed-vs-packed");
    w.setAttribute("container", "array");
    w.setAttribute("typecode", "i");
    w.setAttribute("source", "list");
    w.setAttribute("n", "1000");
  });
  await page.waitForFunction(
    () => document.querySelector("boxed-vs-packed").layout.container.getsizeof === 4080,
  );
  const l = await drawn(page);
  const want = await modelLayout(page, {
    container: "array",
    typecode: "i",
    values: { kind: "int_range", start: 0 },
    n: 1000,
    profile: "cpython-3.14",
    source: "list",
  });
  assert.deepEqual(l.totals, want.totals);
  assert.deepEqual(page.problems, []);
  await page.close();
});
