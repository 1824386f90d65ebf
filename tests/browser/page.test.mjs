// The explorable page as a reader uses it: every panel draws, hover and keyboard show the
// bytes layout() gives, the URL holds the state (back works, bad parameters are named), it
// fits a phone, and axe-core finds nothing serious. Screenshots of each panel go to
// test-output/ for a person to look at.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { openPage, outDir, renderCount, rendered, useBrowser, widget, modelLayout } from "./harness.mjs";

const ctx = useBrowser();
const group = (n) => n.toLocaleString("en-US");

/** Distinct colours in a canvas (a blank canvas has one). */
const colours = (page, sel) =>
  widget(page)
    .locator(sel)
    .evaluate((c) => {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length && seen.size < 50; i += 4 * 7)
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });

/** Move the mouse over the middle of the flame frame whose label starts with `prefix`. */
async function hoverFrame(page, prefix) {
  const at = await page.evaluate((p) => {
    const w = document.querySelector("boxed-vs-packed");
    const order = [];
    const walk = (n) => {
      order.push(n);
      n.children.forEach(walk);
    };
    walk(w.layout.tree);
    const i = order.findIndex((n) => n.label.startsWith(p));
    const [x, y, fw, fh] = w.explorer.frameRect(i);
    return { i, x: x + fw / 2, y: y + fh / 2, node: order[i] };
  }, prefix);
  assert.ok(at.i >= 0, `a frame labelled ${prefix}…`);
  const canvas = widget(page).locator(".flame canvas.main");
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + at.x, box.y + at.y);
  const tip = widget(page).locator(".flame .tip");
  await tip.waitFor({ state: "visible" });
  return { text: await tip.textContent(), node: at.node };
}

test("every panel draws, and hovering the pointer array and the ints shows layout()'s bytes", async () => {
  const page = await openPage(ctx, "/index.html?n=100000");
  await rendered(page);
  // The lab's heap map draws after a run.
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await widget(page).locator(".heap canvas.main").waitFor({ state: "visible", timeout: 30000 });
  await rendered(page, 2);
  for (const panel of ["flame", "series", "bars", "heap"]) {
    assert.ok((await colours(page, `.${panel} canvas.main`)) > 3, `${panel} has drawn pixels`);
    await widget(page)
      .locator(`section.${panel}`)
      .screenshot({ path: join(outDir, `panel-${panel}.png`) });
  }
  await widget(page)
    .locator("section.code")
    .screenshot({ path: join(outDir, "panel-code.png") });
  await widget(page)
    .locator(".controls")
    .screenshot({ path: join(outDir, "panel-controls.png") });

  // What layout() says for the same scenario, straight from the wasm.
  const expected = await page.evaluate(() => {
    const w = document.querySelector("boxed-vs-packed");
    return w.api.layout(w.scenario());
  });
  for (const prefix of ["pointer array", "int objects"]) {
    const { text, node } = await hoverFrame(page, prefix);
    const want = [];
    const walk = (n) => {
      if (n.label === node.label) want.push(n);
      n.children.forEach(walk);
    };
    walk(expected.tree);
    assert.equal(want.length, 1);
    for (const [name, key] of [
      ["sys.getsizeof", "getsizeof"],
      ["tracemalloc", "requested"],
      ["allocator", "allocated"],
    ]) {
      assert.ok(
        text.includes(`${name}: ${group(want[0][key])} bytes`),
        `${prefix}: ${name} ${want[0][key]} in "${text}"`,
      );
    }
    await widget(page)
      .locator("section.flame")
      .screenshot({ path: join(outDir, `panel-flame-hover-${prefix.split(" ")[0]}.png`) });
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("changing n updates the URL, the prose and the charts; back restores the previous state", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  assert.match(await page.textContent("#lead"), /Put 1,000,000 ints in a list/);
  const flamePixels = () =>
    widget(page)
      .locator(".flame canvas.main")
      .evaluate((c) => c.toDataURL());
  const before = { flame: await flamePixels(), renders: await renderCount(page) };
  const exact = page.getByLabel("n, exactly");
  await exact.fill("1000");
  await exact.press("Enter");
  await page.waitForURL(/[?&]n=1000(&|$)/);
  await page.waitForFunction(() => document.getElementById("lead").textContent.startsWith("Put 1,000 ints"));
  assert.ok((await renderCount(page)) > before.renders);
  assert.notEqual(await flamePixels(), before.flame, "the flame graph was redrawn");
  const list1000 = await page.textContent("#p-three strong");
  assert.equal(
    list1000,
    "8,856 bytes",
    "sys.getsizeof of a 1,000-int list on 3.12 (real CPython 3.12.1 says 8856)",
  );

  // The slider too, then back twice.
  await page.getByLabel("n, on a log scale").focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForURL((u) => u.searchParams.get("n") !== "1000");
  await page.goBack();
  await page.waitForURL(/[?&]n=1000(&|$)/);
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.n === 1000);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.n === 1000000);
  assert.equal(new URL(page.url()).search, "");
  await page.waitForFunction(() =>
    document.getElementById("lead").textContent.startsWith("Put 1,000,000 ints"),
  );
  assert.equal(await exact.inputValue(), "1000000");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("bad URL parameters fall back to defaults with a note naming each one", async () => {
  const page = await openPage(
    ctx,
    "/index.html?n=lots&profile=cpython-2.7&container=list_range&units=%3Cb%3E",
  );
  await rendered(page);
  const note = await page.textContent(".url-note");
  assert.match(note, /n=lots ignored: n must be a whole number from 0 to 1000000000; using 1000000/);
  assert.match(
    note,
    /profile=cpython-2\.7 ignored: allowed: cpython-3\.15, .*wasm32-3\.13; using cpython-3\.14/,
  );
  assert.match(note, /units=<b> ignored/);
  assert.equal(await page.locator("header b").count(), 0, "nothing from the URL becomes HTML");
  const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
  assert.equal(state.container, "list_range", "the good parameter is kept");
  assert.equal(state.n, 1000000);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("every Python of the menu, 3.15 and 3.14 first; old wasm32 links keep their numbers; NumPy 1.21 only where it installs", async () => {
  const page = await openPage(ctx, "/index.html?profile=wasm32&n=1000");
  await rendered(page);
  const options = await widget(page)
    .locator("select[name=profile] option")
    .evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options.slice(0, 2), ["cpython-3.15", "cpython-3.14"]);
  assert.ok(
    options.includes("wasm32-3.13") && options.includes("wasm32-3.14") && options.includes("cpython-3.8"),
  );
  // profile=wasm32, from before there were two Pyodides, is Pyodide 0.29's CPython 3.13.
  let w = await page.evaluate(() => {
    const x = document.querySelector("boxed-vs-packed");
    return { profile: x.state.profile, layoutProfile: x.layout.profile, total: x.layout.totals.requested };
  });
  assert.deepEqual([w.profile, w.layoutProfile], ["wasm32-3.13", "wasm32-3.13"]);
  const direct = (
    await modelLayout(page, {
      container: "list_append",
      values: { kind: "int_range", start: 0 },
      n: 1000,
      profile: "wasm32-3.13",
    })
  ).totals.requested;
  assert.equal(w.total, direct);
  // An ndarray shows the NumPy control; 1.21 on CPython 3.14 moves the Python to 3.10, and says so.
  await widget(page).locator("select[name=container]").selectOption("ndarray");
  await widget(page).locator("select[name=profile]").selectOption("cpython-3.14");
  await widget(page).locator("select[name=numpy]").selectOption("1.21");
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.numpy === "1.21");
  w = await page.evaluate(() => {
    const x = document.querySelector("boxed-vs-packed");
    return {
      profile: x.state.profile,
      getsizeof: x.layout.container.getsizeof,
      note: x.shadowRoot.querySelector(".note").textContent,
      headline: x.shadowRoot.querySelector(".headline").textContent,
    };
  });
  assert.equal(w.profile, "cpython-3.10");
  assert.match(w.note, /NumPy 1\.21 installs on CPython 3\.8 to 3\.10 only: Python set to CPython 3\.10/);
  assert.match(w.headline, /NumPy 1\.21 and older/);
  assert.equal(
    w.getsizeof,
    88 + 16 + 1000 * 8,
    "NumPy 1.21's header: 88 bytes, shape and strides 16, data 8,000",
  );
  await page.waitForURL(/numpy=1\.21/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("keyboard only: tab to the flame graph, move between frames, read the tooltip", async () => {
  const page = await openPage(ctx, "/index.html");
  await rendered(page);
  let onFlame = false;
  for (let i = 0; i < 40 && !onFlame; i++) {
    await page.keyboard.press("Tab");
    onFlame = await page.evaluate(() => {
      const a = document.querySelector("boxed-vs-packed").shadowRoot.activeElement;
      return !!a && a.matches(".flame canvas.main");
    });
  }
  assert.ok(onFlame, "the flame graph is in the tab order");
  const tip = widget(page).locator(".flame .tip");
  await tip.waitFor({ state: "visible" });
  assert.match(await tip.textContent(), /^x: list \(append loop\) of 1,000,000 ints/);
  await page.keyboard.press("ArrowDown");
  assert.match(await tip.textContent(), /^int objects/, "down goes to the largest part first");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const text = await tip.textContent();
  assert.match(text, /tracemalloc: [\d,]+ bytes/);
  const spoken = await widget(page).locator(".flame .sr").textContent();
  assert.ok(spoken.startsWith(text.split("sys.getsizeof")[0].trim()), "the live region says the same");
  await page.keyboard.press("Enter");
  assert.equal(
    await widget(page).getByRole("button", { name: "Reset zoom" }).isEnabled(),
    true,
    "Enter zooms",
  );
  await page.keyboard.press("Escape");
  await page.waitForFunction(
    () => document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".flame button").disabled,
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("every chart has a data table, and the page fits 360 px", async () => {
  const page = await openPage(ctx, "/index.html", { viewport: { width: 360, height: 740 } });
  await rendered(page);
  for (const panel of ["flame", "series", "bars"]) {
    const toggle = widget(page).locator(`section.${panel}`).getByRole("button", { name: "Show table" });
    await toggle.click();
    const rows = await widget(page).locator(`section.${panel} table tbody tr`).count();
    assert.ok(rows >= 2, `${panel} table has rows`);
    await widget(page).locator(`section.${panel}`).getByRole("button", { name: "Show chart" }).click();
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);
  await page.screenshot({ path: join(outDir, "page-360px.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

for (const [scheme, path] of [
  ["light", "/index.html?n=1000"],
  ["dark", "/index.html?n=1000"],
  ["light", "/index.html?mode=exercises&n=1000"],
  ["dark", "/index.html?mode=exercises&n=1000"],
  ["light", "/embed.html?n=1000"],
  ["dark", "/embed.html?n=1000&theme=auto"],
]) {
  test(`axe-core finds no violation of any impact (${scheme}, ${path})`, async () => {
    const page = await openPage(ctx, path, { colorScheme: scheme });
    await rendered(page);
    if (path.includes("exercises")) {
      await page.locator(".exercise").first().waitFor();
      // The explorer is held back in the exercises until asked for: shown here, so the lab runs.
      await page.getByRole("button", { name: "Show the explorer anyway" }).waitFor();
      await page.getByRole("button", { name: "Show the explorer anyway" }).click();
    }
    await widget(page).getByRole("button", { name: "Run the lab" }).click();
    await page.locator(".lab-status").filter({ hasText: "Measured" }).waitFor({ timeout: 30000 });
    // The embed builder and a data table, opened, are part of what a person sees.
    await widget(page).getByRole("button", { name: "Copy embed code" }).click();
    await widget(page).locator("form.embed-options").waitFor();
    await widget(page).locator("section.bars").getByRole("button", { name: "Show table" }).click();
    await page.addScriptTag({
      content: readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8"),
    });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) }));
    });
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    const name = path.includes("exercises")
      ? `exercises-${scheme}`
      : path.includes("embed")
        ? `embed-${scheme}`
        : scheme;
    await page.screenshot({ path: join(outDir, `page-${name}.png`), fullPage: true });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
