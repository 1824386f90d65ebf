// The lab in a real browser: it runs in a module worker for n = 10**6, the page shows measured
// equal to modelled, and the worker's memory is given back when it ends; an impossible n gives
// a clear message and the next run works.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { openPage, rendered, useBrowser, widget } from "./harness.mjs";

const ctx = useBrowser();

/** Resident memory of the renderer processes, in MiB (the page and its workers). */
async function rendererMiB(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  await cdp.detach();
  let kib = 0;
  for (const p of processInfo.filter((p) => p.type === "renderer")) {
    try {
      const m = readFileSync(`/proc/${p.id}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      kib += Number(m?.[1] ?? 0);
    } catch {
      // the process ended
    }
  }
  return kib / 1024;
}

/** Type n into the explorer's exact field, as a reader would. */
async function setN(page, n) {
  await page.getByLabel("n, exactly").fill(String(n));
  await page.getByLabel("n, exactly").press("Enter");
  await page.waitForFunction((v) => document.querySelector("boxed-vs-packed").state.n === v, n);
}

async function waitFor(fn, { timeout = 60000, every = 100 } = {}) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeout) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, every));
  }
}

test("the lab runs 10**6 ints in a worker ten times, measures what the model says, and gives memory back", async () => {
  const page = await openPage(ctx, "/index.html?n=1000000");
  await rendered(page);
  const before = await rendererMiB(ctx.browser);
  let grownMiB = 0;
  // Ten runs of ~90 MiB each: if workers kept their memory, the renderer would grow by 900.
  for (let i = 0; i < 10; i++) {
    await widget(page).getByRole("button", { name: "Run the lab" }).click();
    await page.waitForSelector(".lab-pages", { state: "detached", timeout: 5000 });
    await waitFor(async () => (await page.textContent(".lab-status")).startsWith("Measured equals modelled"));
    const status = await page.textContent(".lab-status");
    // 10**6 ints appended on 3.12: what tracemalloc sees, and what the allocators hold
    assert.match(status, /40,440,504 bytes requested, 40,441,888 bytes allocated/);
    assert.equal(await page.locator(".lab-bytes .check.ok").count(), 2, "both checks show equal");
    const pages = await page.textContent(".lab-pages");
    grownMiB = Number(pages.match(/\(([\d.]+) MiB grown\)/)[1]);
  }
  assert.ok(grownMiB > 60, `each run grew linear memory by ${grownMiB} MiB`);
  const after = await waitFor(
    async () => {
      const now = await rendererMiB(ctx.browser);
      return now - before < grownMiB ? now : null;
    },
    { timeout: 15000 },
  );
  console.log(
    `# renderer memory ${before.toFixed(0)} MiB before, ${after.toFixed(0)} MiB after ten runs that each grew linear memory by ${grownMiB} MiB`,
  );
  assert.ok(
    after - before < grownMiB,
    `memory given back: ${before.toFixed(0)} → ${after.toFixed(0)} MiB after 10 runs`,
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("an impossible n gets a clear message, and the next run works", async () => {
  const page = await openPage(ctx, "/index.html?n=1000000000");
  await rendered(page);
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await page.waitForSelector(".lab[data-error=true]");
  const msg = await page.textContent(".lab-status");
  assert.match(
    msg,
    /^n: this structure needs about [\d.]+ MiB \(\d+ bytes\), more than the 4096 MiB that WebAssembly's 32-bit linear memory can hold; choose a smaller n$/,
  );
  await setN(page, 1000);
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await waitFor(async () => (await page.textContent(".lab-status")).startsWith("Measured equals modelled"));
  assert.equal(await page.locator(".lab[data-error]").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a run can be cancelled, and the next run works", async () => {
  const page = await openPage(ctx, "/index.html?n=5000000");
  await rendered(page);
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await page.waitForSelector("button:has-text('Cancel'):not([disabled])");
  await page.click("button:has-text('Cancel')");
  await waitFor(async () => (await page.textContent(".lab-status")) === "the lab run was cancelled");
  await setN(page, 2000);
  await widget(page).getByRole("button", { name: "Run the lab" }).click();
  await waitFor(async () => (await page.textContent(".lab-status")).startsWith("Measured equals modelled"));
  assert.deepEqual(page.problems, []);
  await page.close();
});
