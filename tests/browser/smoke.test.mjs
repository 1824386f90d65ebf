// The page loads the wasm from a plain static server and shows layout() of the article's
// scenario, with no console error or page error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, useBrowser } from "./harness.mjs";

const ctx = useBrowser();

test("index.html loads the wasm and prints layout() of the default scenario", async () => {
  const page = await openPage(ctx, "/index.html");
  await page.waitForSelector("body[data-ready=true]", { timeout: 10000 });
  const shown = JSON.parse(await page.textContent("#layout"));
  assert.equal(shown.container.getsizeof, 8448728, "sys.getsizeof of the article's list on 3.12");
  assert.equal(shown.elements.count, 1000000);
  assert.equal(shown.tree.children[0].label, "list object");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the wasm is served as application/wasm", async () => {
  const res = await fetch(`${ctx.url}/www/pkg/boxed_vs_packed_bg.wasm`);
  assert.equal(res.headers.get("content-type"), "application/wasm");
});
