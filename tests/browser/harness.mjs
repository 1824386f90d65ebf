// Shared set-up for the browser tests: one static server and one Chromium per test file, and
// pages that fail the test on any console error or uncaught page error.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { launch } from "../../scripts/browser.mjs";
import { root } from "../../scripts/lib.mjs";
import { serve } from "../../scripts/serve.mjs";

export const outDir = join(root, "test-output");
mkdirSync(outDir, { recursive: true });

/** Registers before/after hooks; returns an object filled in once the browser is up. */
export function useBrowser({ headers } = {}) {
  const ctx = { url: "", browser: null, server: null };
  before(async () => {
    const s = await serve({ headers });
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
  page.on("requestfailed", (r) => page.problems.push(`request failed: ${r.url()}`));
  if (path !== null) await page.goto(`${ctx.url}${path}`);
  return page;
}
