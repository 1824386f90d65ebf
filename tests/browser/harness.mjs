// Shared set-up for the browser tests: one static server and one Chromium per test file, and
// pages that fail the test on any console error or uncaught page error. The server serves
// dist/, the site as hosted (bundled, minified), unless a test asks for another directory.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { launch } from "../../scripts/browser.mjs";
import { distDir } from "../../scripts/dist.mjs";
import { root } from "../../scripts/lib.mjs";
import { serve } from "../../scripts/serve.mjs";

export const outDir = join(root, "test-output");
mkdirSync(outDir, { recursive: true });

/** Registers before/after hooks; returns an object filled in once the browser is up. */
export function useBrowser({ headers, dir = distDir } = {}) {
  const ctx = { url: "", browser: null, server: null };
  before(async () => {
    const s = await serve({ dir, headers });
    ctx.server = s.server;
    ctx.url = s.url;
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    ctx.server?.close();
  });
  return ctx;
}

/** A new page that records console errors and page errors into `page.problems`. */
export async function openPage(ctx, path, { viewport = { width: 1280, height: 900 }, ...opts } = {}) {
  const page = await ctx.browser.newPage({ viewport, ...opts });
  page.problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") page.problems.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  // A request a navigation cancels (a reload mid-load) is not a failure.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") page.problems.push(`request failed: ${r.url()}`);
  });
  if (path !== null) await page.goto(`${ctx.url}${path}`);
  return page;
}

/** The explorer widget on a page (playwright's CSS locators pierce its open shadow root). */
export const widget = (page, sel = "boxed-vs-packed") => page.locator(sel);

/** The model's own layout() of `scenario`, called through the page's widget (the truth a test compares with). */
export const modelLayout = (page, scenario) =>
  page.evaluate((s) => document.querySelector("boxed-vs-packed").api.layout(s), scenario);

/** Wait until the widget has drawn at least `count` frames since load. */
export async function rendered(page, count = 1, sel = "boxed-vs-packed") {
  await page.waitForFunction(
    ([s, c]) =>
      Number(document.querySelector(s)?.shadowRoot?.querySelector(".bvp")?.dataset.rendered ?? 0) >= c,
    [sel, count],
    { timeout: 15000 },
  );
}

/** How many times the widget has drawn. */
export const renderCount = (page, sel = "boxed-vs-packed") =>
  page.evaluate(
    (s) => Number(document.querySelector(s)?.shadowRoot?.querySelector(".bvp")?.dataset.rendered ?? 0),
    sel,
  );

/**
 * Serve `files` ({ name: body }) from a second server: another origin (another port), as a
 * blog is. Returns its URL; the server closes after the test file.
 */
export async function host(files) {
  const dir = mkdtempSync(join(tmpdir(), "bvp-host-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const s = await serve({ dir });
  after(() => s.server.close());
  return s.url;
}
