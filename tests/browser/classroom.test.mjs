// Classroom mode end to end, and the exports: a wrong answer, a hint, the right answer, the
// reveal setting the explorer, progress surviving a reload (and its reset); every exercise's
// own link; the worksheet's print layout; PNG, CSV and JSON downloads; the permalink and both
// embed codes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { openPage, outDir, rendered, useBrowser, widget, modelLayout } from "./harness.mjs";

const ctx = useBrowser();

test("one exercise: wrong answer, hint, right answer, reveal; progress survives a reload", async () => {
  const page = await openPage(ctx, "/index.html?mode=exercises&n=1000&container=tuple");
  await rendered(page);
  const card = page.locator("#ex-list");
  await card.waitFor();
  assert.equal((await page.locator(".exercise").count()) >= 12, true, "at least 12 exercises");
  assert.equal(await page.locator(".story").first().isVisible(), false, "the story steps aside");

  // The model's answer, from layout() itself (not from the page's text).
  const truth = (
    await modelLayout(page, {
      n: 1e6,
      container: "list_append",
      values: { kind: "int_range", start: 0 },
      profile: "cpython-3.12",
    })
  ).totals.requested;
  const answer = card.getByLabel("Your answer");
  await answer.fill("10");
  await card.getByLabel("unit").selectOption("MB");
  await card.getByRole("button", { name: "Check" }).click();
  assert.match(await card.locator(".feedback").textContent(), /^Not yet: read as 10 MB, that is 75% below/);
  await card.getByRole("button", { name: "Hint (1 of 2)" }).click();
  assert.match(await card.locator(".hints li").first().textContent(), /8-byte pointers/);

  await answer.fill(String((truth / 2 ** 20).toFixed(1)));
  await card.getByLabel("unit").selectOption("MiB");
  await card.getByRole("button", { name: "Check" }).click();
  assert.match(
    await card.locator(".feedback").textContent(),
    /^Right: read as 38\.6 MiB; the model says 40,440,504 bytes/,
  );
  assert.equal(await page.locator(".ex-progress [role=status]").textContent(), "1 of 15 solved.");

  const before = await widget(page)
    .locator(".flame canvas.main")
    .evaluate((c) => c.toDataURL());
  await card.getByRole("button", { name: "Reveal the answer" }).click();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.n === 1000000);
  const state = await page.evaluate(() => document.querySelector("boxed-vs-packed").state);
  assert.equal(state.container, "list_append");
  assert.match(await card.locator(".answer").textContent(), /Answer: 40,440,504 bytes/);
  await page.waitForFunction(
    (b) =>
      document.querySelector("boxed-vs-packed").shadowRoot.querySelector(".flame canvas.main").toDataURL() !==
      b,
    before,
  );
  await page.waitForURL((u) => u.searchParams.get("mode") === "exercises" && !u.searchParams.has("n"));

  await page.reload();
  await page.locator("#ex-list").waitFor();
  assert.equal(await page.locator(".ex-progress [role=status]").textContent(), "1 of 15 solved.");
  assert.equal(await page.locator("#ex-list").getAttribute("data-solved"), "true");
  assert.equal(await page.locator("#ex-list .hints li").count(), 1, "the hint taken stays shown");
  assert.equal(await page.locator("#ex-list .answer").isVisible(), true, "the reveal stays");
  await page.getByRole("button", { name: "Reset progress" }).click();
  assert.equal(await page.locator(".ex-progress [role=status]").textContent(), "0 of 15 solved.");
  assert.equal(await page.locator("#ex-list .hints li").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("an open exercise does not show its answer in the explorer, until it is revealed", async () => {
  const page = await openPage(ctx, "/index.html?mode=exercises");
  await rendered(page);
  const explorer = widget(page);
  const gate = page.locator("#gate");
  await page.locator("#ex-list").waitFor();
  // At first the explorer stays out of the way (its default is exercise 1's scenario on 3.14).
  assert.equal(await explorer.isVisible(), false);
  assert.equal(await gate.isVisible(), true);
  await page.getByRole("button", { name: "Show the explorer anyway" }).click();
  assert.equal(await explorer.isVisible(), true);

  // Working on exercise 1: hidden, whatever the explorer shows (another scenario, a comparison or
  // another accounting can give an answer away too), and the note says why.
  await page.locator("#ex-list").getByLabel("Your answer").focus();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").hidden);
  assert.match(
    await page.locator("#gate-text").textContent(),
    /exercise 1, "A million ints in a list", is open/,
  );
  await page.evaluate(() => document.querySelector("boxed-vs-packed").setState({ n: 5000 }));
  assert.equal(await explorer.isVisible(), false);
  // Put aside on purpose, it opens; working on it again hides it again.
  await page.getByRole("button", { name: "Put exercise 1 aside and open the explorer" }).click();
  assert.equal(await explorer.isVisible(), true);
  await page.locator("#ex-list").getByLabel("Your answer").focus();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").hidden);
  // The reveal brings it back, on the exercise's scenario, in view.
  await page.locator("#ex-list").getByRole("button", { name: "Reveal the answer" }).click();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").state.n === 1000000);
  assert.equal(await explorer.isVisible(), true);
  await page.waitForFunction(() => {
    const r = document.querySelector("boxed-vs-packed").getBoundingClientRect();
    return r.top >= -1 && r.top < innerHeight / 2;
  });
  await page.screenshot({ path: join(outDir, "exercise-revealed.png") });
  // Exercise 1 is revealed; working on exercise 2 hides the explorer again (its comparison with
  // an ndarray would give exercise 2's answer away).
  await page.locator("#ex-numpy").getByLabel("Your answer").focus();
  await page.waitForFunction(() => document.querySelector("boxed-vs-packed").hidden);
  assert.match(await page.locator("#gate-text").textContent(), /exercise 2, .* is open/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("answers are read with their unit, a decimal comma, and the unit the question asks in", async () => {
  const page = await openPage(ctx, "/index.html?mode=exercises", { locale: "de-DE" });
  await page.locator("#ex-list").waitFor();
  const check = async (id, text) => {
    const card = page.locator(`#ex-${id}`);
    await card.getByLabel("Your answer").fill(text);
    await card.getByRole("button", { name: "Check" }).click();
    return card.locator(".feedback").textContent();
  };
  assert.match(await check("list", "40.44 MB"), /^Right: read as 40\.44 MB;/);
  assert.match(await check("list", "40,44 MB"), /^Right: read as 40\.44 MB;/);
  assert.match(await check("list", "38,57 MiB"), /^Right: read as 38\.57 MiB;/);
  assert.equal(
    await page.locator("#ex-list").getByLabel("unit").inputValue(),
    "MiB",
    "the typed unit is shown",
  );
  assert.match(await check("list", "40.440.504"), /^Not yet: read as 40440504 MiB, that is \d+% above/);
  assert.match(await check("list", "40.440.504 B"), /^Right: read as 40440504 B;/);
  // "bytes per element": the field's unit is B, so 36 reads as 36 B, not 36 MB.
  assert.equal(await page.locator("#ex-two-digits").getByLabel("unit").inputValue(), "B");
  const perElement = await check("two-digits", "36");
  assert.match(perElement, /read as 36 B/);
  assert.ok(!/\d{4,}% (above|below)/.test(perElement), perElement);
  assert.match(
    await check("list", "40 parsecs"),
    /"parsecs" is not a unit: use B, kB, MB, GB, KiB, MiB or GiB/,
  );
  assert.match(await check("ratio", "4,4×"), /read as 4\.4×/);
  const key = await page.locator(".answer-key").textContent();
  assert.ok(key.includes("How many times as much? "), key);
  assert.ok(!key.includes("?:"), key);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("every exercise has its own link, and prints as a worksheet with the key on its own page", async () => {
  const page = await openPage(ctx, "/index.html?mode=exercises#ex-pymalloc");
  await page.locator("#ex-pymalloc").waitFor();
  await page.waitForFunction(() => {
    const r = document.getElementById("ex-pymalloc").getBoundingClientRect();
    return r.top >= -1 && r.top < innerHeight;
  });
  const links = await page
    .locator(".exercise h3 a")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.equal(new Set(links).size, links.length);
  for (const l of links) assert.match(l, /^\?mode=exercises#ex-[a-z0-9-]+$/);

  await page.emulateMedia({ media: "print" });
  const print = await page.evaluate(() => ({
    explorer: getComputedStyle(document.querySelector(".explore")).display,
    form: getComputedStyle(document.querySelector(".answer-form")).display,
    space: getComputedStyle(document.querySelector(".print-space")).display,
    key: getComputedStyle(document.querySelector(".answer-key")).display,
    keyBreak: getComputedStyle(document.querySelector(".answer-key")).breakBefore,
    keyItems: document.querySelectorAll(".answer-key li").length,
  }));
  assert.deepEqual(print, {
    explorer: "none",
    form: "none",
    space: "block",
    key: "block",
    keyBreak: "page",
    keyItems: await page.locator(".exercise").count(),
  });
  await page.screenshot({ path: join(outDir, "worksheet-print.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("exports: PNG, CSV and JSON of a chart, the permalink and both embed codes", async () => {
  const context = await ctx.browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ctx.url });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(e.message));
  await page.goto(`${ctx.url}/index.html?n=1000&container=list_range`);
  await rendered(page);
  const bars = widget(page).locator("section.bars");
  const save = async (name) => {
    const [d] = await Promise.all([
      page.waitForEvent("download"),
      bars.getByRole("button", { name }).click(),
    ]);
    const path = join(outDir, d.suggestedFilename());
    await d.saveAs(path);
    return { name: d.suggestedFilename(), data: readFileSync(path) };
  };
  const png = await save("PNG");
  assert.equal(png.name, "boxed-vs-packed-bars.png");
  assert.deepEqual([...png.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG file");
  const csv = await save("CSV");
  const lines = csv.data.toString().trim().split("\r\n");
  assert.match(lines[0], /^scenario,pointer slot,object header,payload,.*,total,total bytes$/);
  assert.equal(lines.length, 3, "header, the scenario, the one compared with");
  assert.match(lines[1], /^list\(\.\.\.\) of ints,/);
  assert.match(lines[2], /^ndarray uint64,/);
  const json = JSON.parse((await save("JSON")).data.toString());
  assert.equal(json.scenario.n, 1000);
  assert.equal(json.compare.container, "ndarray", "the JSON says what the scenario is compared with");
  assert.equal(json.rows.length, 2);

  await widget(page).getByRole("button", { name: "Copy link" }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, `${ctx.url}/index.html?n=1000&container=list_range`);
  await widget(page).getByRole("button", { name: "Copy embed code" }).click();
  const want = `<script type="module" src="${ctx.url}/www/boxed-vs-packed.js"></script>\n<boxed-vs-packed n="1000" container="list_range"></boxed-vs-packed>`;
  await page.waitForFunction(async (w) => (await navigator.clipboard.readText()) === w, want);
  const code = widget(page).locator("textarea.embed-output");
  assert.equal(await code.inputValue(), want);
  await widget(page).getByLabel("an iframe (fully isolated)").check();
  const iframe = await code.inputValue();
  assert.ok(iframe.startsWith(`<iframe src="${ctx.url}/embed.html?n=1000&amp;container=list_range"`));
  assert.match(iframe, /allow="clipboard-write"/);
  assert.match(iframe, /boxed-vs-packed:height/);
  assert.deepEqual(page.problems, []);
  await context.close();
});
