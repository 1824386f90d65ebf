// The page's prose follows the explorer: the lead and every story section describe the scenario
// shown (container, element type, n, Python, accounting, units) in correct English, with the
// model's own figures; the article's figure is one click away. Screenshots go to test-output/.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { modelLayout, openPage, outDir, rendered, useBrowser } from "./harness.mjs";

const ctx = useBrowser();

const text = (page, id) => page.locator(`#${id}`).evaluate((n) => n.textContent.replace(/\s+/g, " ").trim());

async function story(path) {
  const page = await openPage(ctx, path);
  await page.waitForSelector("body[data-ready=true]");
  await rendered(page);
  const t = {};
  for (const id of [
    "lead",
    "why-35",
    "s-container",
    "p-container",
    "s-elements",
    "p-elements",
    "p-other",
    "p-three",
  ])
    t[id] = await text(page, id);
  t.all = Object.values(t).join(" ");
  return { page, t };
}

/** formatBytes as the page prints SI figures (two decimals under 100). */
const si = (b) => {
  const names = ["B", "kB", "MB", "GB"];
  let i = 0;
  let x = b;
  while (x >= 1000 && i < 3) {
    x /= 1000;
    i++;
  }
  return i === 0 ? `${b} B` : `${x.toFixed(x >= 100 ? 1 : 2)} ${names[i]}`;
};

test("5,000,000 floats from a comprehension on 3.11: the lead and the story describe them, not the default", async () => {
  const { page, t } = await story(
    "/index.html?n=5000000&container=list_comprehension&values=float_range:0&profile=cpython-3.11",
  );
  const l = await modelLayout(page, {
    container: "list_comprehension",
    values: { kind: "float_range", start: 0 },
    n: 5000000,
    profile: "cpython-3.11",
  });
  assert.match(t.lead, /^Put 5,000,000 floats in a list comprehension on CPython 3\.11 and they take /);
  assert.ok(t.lead.includes(`${si(l.totals.requested)} by tracemalloc`), t.lead);
  assert.ok(!/ints|append|203\.9/.test(t.lead), `the lead still describes the default: ${t.lead}`);
  assert.equal(t["s-elements"], "Each float is an object");
  assert.ok(t["p-elements"].includes("the 8-byte double"), t["p-elements"]);
  assert.ok(
    t["p-container"].startsWith("x = [float(i) for i in range(0, 0 + n)] on CPython 3.11"),
    t["p-container"],
  );
  assert.ok(!t["p-container"].includes("append(v)"), t["p-container"]);
  assert.ok(t["p-three"].includes(`${l.totals.requested.toLocaleString("en-US")} bytes`), t["p-three"]);
  assert.ok(t["p-three"].includes(`${l.container.getsizeof.toLocaleString("en-US")} bytes`), t["p-three"]);
  await page.locator("header").screenshot({ path: join(outDir, "story-floats-lead.png") });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a tuple, and the accounting and units the explorer shows (allocator, IEC)", async () => {
  const { page, t } = await story("/index.html?n=1000&container=tuple&accounting=allocator&units=iec");
  const l = await modelLayout(page, {
    container: "tuple",
    values: { kind: "int_range", start: 0 },
    n: 1000,
    profile: "cpython-3.14",
  });
  const kib = `${(l.totals.allocated / 1024).toFixed(2)} KiB`;
  assert.match(t.lead, /^Put 1,000 ints in a tuple on CPython 3\.14 and they take /);
  assert.ok(t.lead.includes(`${kib} as the allocator holds them`), t.lead);
  assert.ok(t.lead.includes("the tuple costs"), t.lead);
  assert.equal(t["s-container"], "A tuple holds pointers");
  assert.ok(
    t["p-container"].includes("its 1,000 8-byte pointers sit inline in the tuple object"),
    t["p-container"],
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("n = 0 and n = 1 read as English", async () => {
  let { page, t } = await story("/index.html?n=0");
  assert.match(
    t.lead,
    /^Put no ints at all in a list built by append on CPython 3\.14 and it still takes 56 B/,
  );
  assert.ok(t["p-container"].includes("no pointer array at all"), t["p-container"]);
  assert.ok(t["p-elements"].includes("With n = 0 there is no int to store."), t["p-elements"]);
  assert.ok(!/\b0 times\b|NaN|undefined|Infinity/.test(t.all), t.all);
  await page.close();

  ({ page, t } = await story("/index.html?n=1&container=tuple&values=float_range:2"));
  assert.match(t.lead, /^Put 1 float in a tuple on CPython 3\.14 and it takes /);
  assert.ok(!/\b1 (ints|floats|items|pointers|slots)\b/.test(t.all), t.all);
  assert.ok(t["p-container"].includes("its one 8-byte pointer sits inline"), t["p-container"]);
  // Every sentence starts with a capital letter (or code).
  for (const id of ["lead", "p-container", "p-elements", "p-other"])
    assert.ok(!/\. (?!sys\.|np\.|x = )[a-z]/.test(t[id]), `${id}: ${t[id]}`);
  assert.ok(t["p-elements"].includes("The one float object takes"), t["p-elements"]);
  assert.ok(t["p-elements"].includes("24 bytes for the float 2.0"), t["p-elements"]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("packed scenarios, ndarrays and shared constants are told as what they are", async () => {
  let { page, t } = await story("/index.html?n=1000&container=array&typecode=i");
  assert.match(
    t.lead,
    /^Put 1,000 ints in an array\.array\('i'\) on CPython 3\.14 and they take .* packed side by side\. A list of the same ints would take /,
  );
  assert.equal(t["s-container"], "An array holds the values themselves");
  assert.ok(t["p-container"].includes("1,000 4-byte values"), t["p-container"]);
  await page.close();

  ({ page, t } = await story("/index.html?n=10&container=ndarray&dtype=float32"));
  assert.equal(t["s-container"], "NumPy holds the values themselves");
  assert.ok(t["p-container"].includes("np.float32"), t["p-container"]);
  assert.ok(t["p-container"].includes("10 4-byte values"), t["p-container"]);
  await page.close();

  ({ page, t } = await story("/index.html?n=7&container=list_repeat&values=constant:1000"));
  assert.match(t.lead, /^Put 7 references to one int in a list made by \[v\] \* n/);
  assert.ok(t["p-elements"].includes("Every slot points at the same object"), t["p-elements"]);
  assert.ok(t["p-container"].startsWith("x = [1000] * n"), t["p-container"]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("why 35 MB and 40 MB differ is said near the top, and the article's figure is one click away", async () => {
  const { page, t } = await story("/index.html?n=5000&container=tuple&profile=cpython-3.12");
  const a = await modelLayout(page, {
    container: "list_append",
    values: { kind: "int_range", start: 0 },
    n: 1000000,
    profile: "cpython-3.12",
  });
  assert.ok(t["why-35"].includes(`${a.totals.getsizeof.toLocaleString("en-US")} bytes`), t["why-35"]);
  assert.ok(t["why-35"].includes("34.76 MiB (IEC), the article's 35"), t["why-35"]);
  assert.ok(t["why-35"].includes(`${a.totals.requested.toLocaleString("en-US")} bytes`), t["why-35"]);
  // Near the top: before the explorer.
  const order = await page.evaluate(
    () =>
      document.getElementById("why-35").compareDocumentPosition(document.getElementById("explorer")) &
      Node.DOCUMENT_POSITION_FOLLOWING,
  );
  assert.ok(order, "the why paragraph comes before the explorer");
  await page.getByRole("button", { name: "Show it as the article measured" }).click();
  await page.waitForFunction(() =>
    document.getElementById("lead").textContent.startsWith("Put 1,000,000 ints"),
  );
  const lead = await text(page, "lead");
  assert.ok(lead.includes(`${si(a.totals.getsizeof)} by sys.getsizeof`), lead);
  const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
  assert.deepEqual(
    [state.n, state.container, state.values, state.accounting, state.profile],
    [1000000, "list_append", "int_range:0", "getsizeof", "cpython-3.12"],
  );
  assert.equal(await page.locator("#as-article").isHidden(), true, "shown already: the button steps aside");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("comparing a list with a tuple, the story still contrasts boxed with packed", async () => {
  const { page, t } = await story("/index.html?n=1000&compare=container%3Dtuple");
  assert.match(t.lead, /which is what a NumPy uint64 array of them takes/);
  assert.equal(t["s-elements"], "Each int is an object");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("edge cases a reader hits: one reference, float arrays, the empty tuple, a comparison on another Python", async () => {
  let { page, t } = await story("/index.html?n=1&values=constant:7");
  assert.match(t.lead, /^Put 1 reference to one int in a list built by append/);
  await page.close();

  ({ page, t } = await story("/index.html?n=1000&container=ndarray&dtype=float64"));
  assert.match(t.lead, /^Put 1,000 floats in a NumPy float64 array/);
  assert.equal(t["s-elements"], "No object per float");
  await page.close();

  ({ page, t } = await story("/index.html?n=0&container=tuple"));
  assert.match(t.lead, /^A tuple of no ints on CPython 3\.14 is the empty tuple the interpreter already has/);
  assert.ok(!/0 8-byte pointers|Each pointer leads/.test(t["p-container"]), t["p-container"]);
  assert.ok(!/empty tuple already exist/.test(t["p-elements"]), t["p-elements"]);
  await page.close();

  // The story compares on the Python shown, whatever the widget is compared with.
  ({ page, t } = await story(
    "/index.html?n=1000&container=ndarray&profile=cpython-3.9&compare=profile%3Dcpython-3.14",
  ));
  const list39 = await modelLayout(page, {
    container: "list_append",
    values: { kind: "int_range", start: 0 },
    n: 1000,
    profile: "cpython-3.9",
  });
  assert.ok(
    t["p-other"].includes(si(list39.totals.requested)),
    `${t["p-other"]} (want ${si(list39.totals.requested)})`,
  );
  assert.deepEqual(page.problems, []);
  await page.close();

  // Shared values at large n: no claim that n is small.
  ({ page, t } = await story("/index.html?container=list_repeat&values=constant:7"));
  assert.ok(!/at an n this small/.test(t.lead), t.lead);
  await page.close();
});
