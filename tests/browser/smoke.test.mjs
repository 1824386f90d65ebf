// The hosted page (dist/) and the source tree (as `node scripts/serve.mjs` serves it while
// developing) both load the wasm from a plain static server, draw the article's scenario, ask
// no other host for anything, and log no error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { root } from "../../scripts/lib.mjs";
import { serve } from "../../scripts/serve.mjs";
import { openPage, rendered, useBrowser } from "./harness.mjs";

const ctx = useBrowser();

async function loadsTheArticle(page) {
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  await rendered(page);
  const layout = await page.evaluate(() => document.querySelector("boxed-vs-packed").layout);
  assert.equal(layout.container.getsizeof, 8448728, "sys.getsizeof of the article's list on 3.12");
  assert.equal(layout.elements.count, 1000000);
  assert.equal(layout.tree.children[0].label, "list object");
  assert.equal(await page.textContent("#p-three strong"), "8,448,728 bytes");
}

test("the hosted page loads the wasm, draws the article's list, and asks no other host", async () => {
  const page = await openPage(ctx, null);
  const hosts = new Set();
  page.on("request", (r) => hosts.add(new URL(r.url()).host));
  await page.goto(`${ctx.url}/index.html`);
  await loadsTheArticle(page);
  assert.deepEqual([...hosts], [new URL(ctx.url).host], "every request goes to the page's own server");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the source tree runs unbundled, as while developing", async () => {
  const src = await serve({ dir: root });
  try {
    const page = await openPage(ctx, null);
    await page.goto(`${src.url}/index.html`);
    await loadsTheArticle(page);
    assert.deepEqual(page.problems, []);
    await page.close();
  } finally {
    src.server.close();
  }
});

test("the wasm is served as application/wasm", async () => {
  const res = await fetch(`${ctx.url}/www/pkg/boxed_vs_packed_bg.wasm`);
  assert.equal(res.headers.get("content-type"), "application/wasm");
});
