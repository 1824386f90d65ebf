// The widget in pages we do not control: a blog on another origin with hostile CSS and two
// (three) widgets, the same under a strict Content-Security-Policy, attribute payloads that try
// to become HTML or script, and the iframe embed resizing its host's iframe.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { host, openPage, outDir, useBrowser } from "./harness.mjs";

const ctx = useBrowser();
const fixture = (f) => readFileSync(join(import.meta.dirname, "fixtures", f), "utf8");
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const shadowCount = (page, id, sel) =>
  page.evaluate(
    ([i, s]) => document.getElementById(i).shadowRoot?.querySelectorAll(s).length ?? 0,
    [id, sel],
  );

/** Drawn colours in every visible canvas of a widget (each must have more than one). */
const canvasColours = (page, id) =>
  page.evaluate((i) => {
    const root = document.getElementById(i).shadowRoot;
    return [...root.querySelectorAll("section.panel:not([hidden]):not([data-empty]) canvas.main")]
      .filter((c) => c.width > 0)
      .map((c) => {
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let k = 0; k < d.length && seen.size < 20; k += 4 * 11)
          seen.add((d[k] << 16) | (d[k + 1] << 8) | d[k + 2]);
        return seen.size;
      });
  }, id);

const rendered = (page, id) =>
  page.waitForFunction(
    (i) => Number(document.getElementById(i).shadowRoot?.querySelector(".bvp")?.dataset.rendered ?? 0) > 0,
    id,
    { timeout: 20000 },
  );

test("a blog on another origin, with hostile CSS, hosts two widgets that keep their own look and numbers", async () => {
  const page = await openPage(ctx, null);
  const blog = fixture("blog.html").replaceAll("{{WIDGET}}", `${ctx.url}/www/boxed-vs-packed.js`);
  const BLOG = await host({
    "blog.html": blog,
    "blog.css": fixture("blog.css"),
    // The same post without the widget's script: the layout the blog had on its own.
    "bare.html": blog.replace(/<script type="module"[^>]*><\/script>/, ""),
  });
  const boxes = () =>
    page.evaluate(() =>
      ["title", "before", "blog-button"].map((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        const cs = getComputedStyle(document.getElementById(id));
        return [id, r.x, r.y, r.width, r.height, cs.color, cs.fontSize, cs.display];
      }),
    );
  await page.goto(`${BLOG}/bare.html`);
  const bare = await boxes();

  const wasmRequests = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
  await page.goto(`${BLOG}/blog.html`);
  await rendered(page, "a");
  await rendered(page, "b");
  assert.deepEqual(await boxes(), bare, "the blog's own elements did not move or change");

  for (const id of ["a", "b"]) {
    const colours = await canvasColours(page, id);
    assert.ok(
      colours.length >= 2 && colours.every((c) => c > 3),
      `widget ${id} drew its canvases: ${colours}`,
    );
    const inner = await page.evaluate((i) => {
      const bvp = document.getElementById(i).shadowRoot.querySelector(".bvp");
      const cs = getComputedStyle(bvp);
      return [
        cs.fontSize,
        cs.textTransform,
        cs.letterSpacing,
        cs.fontFamily.includes("serif") && !cs.fontFamily.includes("sans"),
      ];
    }, id);
    assert.deepEqual(inner.slice(0, 3), ["15px", "none", "normal"], `widget ${id} keeps its own type`);
    assert.equal(inner[3], false, "not the blog's serif");
  }
  const a = await page.evaluate(() => document.getElementById("a").layout);
  const b = await page.evaluate(() => document.getElementById("b").layout);
  assert.equal(a.elements.count, 1000);
  assert.match(a.tree.label, /tuple/);
  assert.equal(b.elements.count, 5000000);
  assert.equal(b.profile, "cpython-3.9");
  assert.equal(
    await page.evaluate(() => document.getElementById("b").shadowRoot.querySelector(".bvp").dataset.theme),
    "dark",
  );
  assert.equal(await shadowCount(page, "a", "section.heap:not([hidden])"), 0, "panels= chooses the panels");
  assert.match(
    await page.evaluate(() => document.getElementById("b").shadowRoot.querySelector(".headline").textContent),
    /MiB by the allocator/,
    "units=iec and accounting=allocator",
  );

  await page.screenshot({ path: join(outDir, "embed-blog.png") });
  await page.locator("#b").screenshot({ path: join(outDir, "embed-blog-widget-b.png") });
  // The third widget is 6000 px down: no work until it is scrolled into view.
  assert.equal(await shadowCount(page, "c", ".bvp[data-rendered]"), 0, "an unseen widget has not started");
  await page.evaluate(() => document.getElementById("c").scrollIntoView());
  await rendered(page, "c");
  assert.equal(wasmRequests.length, 1, "three widgets, one wasm download");

  // Removed from the page, a widget frees its wasm handle.
  assert.equal(
    await page.evaluate(() => {
      const w = document.getElementById("a");
      w.remove();
      return w.explorer;
    }),
    null,
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("under a strict Content-Security-Policy: no violation, and the widgets (and the lab) work", async () => {
  const page = await openPage(ctx, null);
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const blog = fixture("blog.html")
    .replaceAll("{{WIDGET}}", "www/boxed-vs-packed.js")
    .replace('href="data:,"', 'href="www/favicon.svg"');
  // Only the two test files are routed; everything else comes from the real server.
  await page.route(`${ctx.url}/csp-blog.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: blog, headers: { "content-security-policy": CSP } }),
  );
  await page.route(`${ctx.url}/blog.css`, (r) =>
    r.fulfill({ contentType: "text/css", body: fixture("blog.css") }),
  );
  const response = await page.goto(`${ctx.url}/csp-blog.html`);
  assert.equal(response.headers()["content-security-policy"], CSP);
  await rendered(page, "a");
  await rendered(page, "b");
  // The lab runs in a worker and compiles wasm: both allowed by this policy, nothing more needed.
  await page.evaluate(() => document.getElementById("b").setAttribute("n", "10000"));
  await page.locator("#b").getByRole("button", { name: "Run the lab" }).click();
  await page
    .locator("#b .lab-status")
    .filter({ hasText: "Measured equals modelled" })
    .waitFor({ timeout: 30000 });
  assert.deepEqual(await page.evaluate(() => window.__csp), [], "no CSP violation");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("attribute values carrying HTML or script are shown as text, never run", async () => {
  const page = await openPage(ctx, null);
  page.on("dialog", (d) => {
    page.problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  const payloads = {
    n: `<img src=x onerror="window.__pwned='n'">`,
    container: `"><script>window.__pwned='container'</script>`,
    values: `int_range:<b onmouseover=alert(1)>1</b>`,
    profile: "cpython-3.12<svg onload=alert(2)>",
    units: "<style>*{display:none}</style>",
    panels: `flame,<iframe src=javascript:alert(3)>`,
    theme: `dark"><img src=y onerror=alert(4)>`,
  };
  const attrs = Object.entries(payloads)
    .map(([k, v]) => ` ${k}="${v.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"`)
    .join("");
  const html = `<!doctype html><meta charset="utf-8"><title>payloads</title><link rel="icon" href="data:,">
<script type="module" src="${ctx.url}/www/boxed-vs-packed.js"></script>
<boxed-vs-packed id="x"${attrs}></boxed-vs-packed>`;
  const BLOG = await host({ "x.html": html });
  await page.goto(`${BLOG}/x.html`);
  await rendered(page, "x");
  // Change some after start too (attributeChangedCallback).
  await page.evaluate(() => {
    const w = document.getElementById("x");
    w.setAttribute("dtype", "<i>float32</i>");
    w.setAttribute("accounting", "<a href=javascript:alert(5)>x</a>");
  });
  await page.waitForTimeout(300);
  const found = await page.evaluate(() => {
    const root = document.getElementById("x").shadowRoot;
    return {
      // The diagram draws its arrows in an svg of its own (class "arrows").
      injected: root.querySelectorAll("img, script, svg:not(.arrows), iframe, style, i, a").length,
      note: root.querySelector(".note").textContent,
      pwned: window.__pwned ?? null,
      state: document.getElementById("x").state,
    };
  });
  assert.equal(found.injected, 0, "no element came from an attribute");
  assert.equal(found.pwned, null);
  for (const name of ["n", "container", "values", "profile", "units", "panels"])
    assert.ok(found.note.includes(`${name}=`), `the note names ${name}: ${found.note}`);
  assert.ok(found.note.includes("<img src=x"), "the payload is shown as text");
  assert.deepEqual(
    [found.state.n, found.state.container, found.state.profile, found.state.units],
    [1000000, "list_append", "cpython-3.14", "si"],
    "bad values fall back to the defaults",
  );
  assert.ok(
    (await canvasColours(page, "x")).every((c) => c > 3),
    "the widget still works",
  );
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the iframe embed tells its host its height, and the host's few lines resize the iframe", async () => {
  const page = await openPage(ctx, null);
  const embed = `${ctx.url}/embed.html?n=1000&container=list_range&panels=flame,bars&compact`;
  const BLOG = await host({
    "host.html": fixture("host.html").replaceAll("{{EMBED}}", embed),
    "host.js": fixture("host.js"),
  });
  await page.goto(`${BLOG}/host.html`);
  const frame = page.frameLocator("#f");
  await frame.locator("boxed-vs-packed .bvp[data-rendered]").waitFor({ timeout: 20000 });
  const fits = async () => {
    const inner = await page
      .frames()
      .find((f) => f.url().startsWith(`${ctx.url}/embed.html`))
      .evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const outer = await page.evaluate(() => document.getElementById("f").getBoundingClientRect().height);
    return { inner, outer };
  };
  await page.waitForFunction(() => document.getElementById("f").getBoundingClientRect().height > 300);
  let { inner, outer } = await fits();
  assert.ok(Math.abs(inner - outer) <= 1, `iframe ${outer} px for content ${inner} px`);
  // Content grows (a data table instead of the chart): the iframe follows.
  await frame.locator("section.flame").getByRole("button", { name: "Show table" }).click();
  await page.waitForFunction((h) => document.getElementById("f").getBoundingClientRect().height !== h, outer);
  ({ inner, outer } = await fits());
  assert.ok(Math.abs(inner - outer) <= 1, `after the change: iframe ${outer} px for content ${inner} px`);
  await page.screenshot({ path: join(outDir, "embed-iframe.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the embed builder: options and a live preview; the code it writes renders in a host page, in either form", async () => {
  const context = await ctx.browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: "dark",
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && page.problems.push(m.text()));
  await page.goto(`${ctx.url}/index.html?n=1000&container=tuple`);
  const w = page.locator("#explorer");
  await w.getByRole("button", { name: "Copy embed code" }).click();
  const form = w.locator("form.embed-options");
  await form.waitFor();
  // Panels: the bars only; compact; dark.
  for (const box of await form.locator("input[name=panel]").all()) await box.uncheck();
  assert.match(await w.locator(".embed-note").textContent(), /At least one panel is needed/);
  await form.getByLabel("bytes per element").check();
  await form.getByLabel("where the bytes go").uncheck();
  await form.getByLabel("compact: drop the explanatory lines").check();
  await form.getByLabel("theme").selectOption("dark");
  const code = w.locator("textarea.embed-output");
  const element = await code.inputValue();
  assert.match(
    element,
    /<boxed-vs-packed n="1000" container="tuple" panels="bars" compact theme="dark"><\/boxed-vs-packed>/,
  );
  // The live preview shows the same options (once its debounced reload has happened).
  await page.waitForFunction(() =>
    document
      .getElementById("explorer")
      .shadowRoot.querySelector("iframe.embed-preview")
      ?.src.includes("panels=bars&compact=1&theme=dark"),
  );
  const preview = page.frameLocator("#explorer >> iframe.embed-preview");
  await preview.locator("boxed-vs-packed .bvp[data-rendered]").waitFor({ timeout: 20000 });
  assert.equal(await preview.locator("boxed-vs-packed .bvp").getAttribute("data-theme"), "dark");
  assert.equal(await preview.locator("section.bars").isVisible(), true);
  assert.equal(await preview.locator("section.flame").isVisible(), false);
  await w.locator(".share").screenshot({ path: join(outDir, "embed-builder.png") });

  // The iframe form: height and allow="clipboard-write"; a bad height is named and replaced.
  await form.getByLabel("an iframe (fully isolated)").check();
  await form.getByLabel(/iframe height/).fill("50");
  await form.getByLabel(/iframe height/).press("Tab");
  assert.match(
    await w.locator(".embed-note").textContent(),
    /height must be a number of CSS pixels from 200 to 4000/,
  );
  // Typed digit by digit, as a person does: checked once, when done ("6" alone is not refused).
  await form.getByLabel(/iframe height/).fill("");
  await form.getByLabel(/iframe height/).pressSequentially("640");
  assert.equal(await form.getByLabel(/iframe height/).inputValue(), "640");
  await form.getByLabel(/iframe height/).press("Tab");
  const iframe = await code.inputValue();
  assert.match(iframe, /allow="clipboard-write"/);
  assert.match(iframe, /height:640px/);
  assert.match(
    iframe,
    /embed\.html\?n=1000&amp;container=tuple&amp;panels=bars&amp;compact=1&amp;theme=dark"/,
  );

  // Both outputs, pasted into a blog post on another origin, render as chosen.
  const BLOG = await host({
    "element.html": `<!doctype html><html lang="en"><head><title>post</title></head><body><main><h1>Post</h1>${element}</main></body></html>`,
    "iframe.html": `<!doctype html><html lang="en"><head><title>post</title></head><body><main><h1>Post</h1>${iframe}</main></body></html>`,
  });
  const post = await context.newPage();
  post.on("pageerror", (e) => page.problems.push(e.message));
  await post.goto(`${BLOG}/element.html`);
  const el = post.locator("boxed-vs-packed");
  await el.locator(".bvp[data-rendered]").waitFor({ timeout: 20000 });
  assert.equal(await el.locator(".bvp").getAttribute("data-theme"), "dark");
  assert.equal(await el.locator("section.bars").isVisible(), true);
  assert.equal(await el.locator("section.series").isVisible(), false);
  assert.equal(
    await post.evaluate(() => document.querySelector("boxed-vs-packed").layout.elements.count),
    1000,
  );
  await post.goto(`${BLOG}/iframe.html`);
  const f = post.frameLocator("iframe");
  await f.locator("boxed-vs-packed .bvp[data-rendered]").waitFor({ timeout: 20000 });
  assert.equal(await f.locator("boxed-vs-packed .bvp").getAttribute("data-theme"), "dark");
  assert.equal(await f.locator("section.bars").isVisible(), true);
  assert.equal(await post.locator("iframe").getAttribute("allow"), "clipboard-write");
  await post.screenshot({ path: join(outDir, "embed-builder-output-iframe.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("an embed is light by default, whatever the reader's setting; theme=auto follows it", async () => {
  const context = await ctx.browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  const BLOG = await host({
    "post.html": `<!doctype html><html lang="en"><head><title>post</title><script type="module" src="${ctx.url}/www/boxed-vs-packed.js"></script></head><body><main><h1>Post</h1><boxed-vs-packed id="a" n="10"></boxed-vs-packed><boxed-vs-packed id="b" n="10" theme="auto"></boxed-vs-packed></main></body></html>`,
  });
  await page.goto(`${BLOG}/post.html`);
  for (const id of ["a", "b"]) await rendered(page, id);
  const theme = (id) =>
    page.evaluate((i) => document.getElementById(i).shadowRoot.querySelector(".bvp").dataset.theme, id);
  assert.equal(await theme("a"), "light");
  assert.equal(await theme("b"), "dark");
  await page.goto(`${ctx.url}/embed.html?n=10`);
  await page.locator("boxed-vs-packed .bvp[data-rendered]").waitFor({ timeout: 20000 });
  assert.equal(await page.locator("boxed-vs-packed .bvp").getAttribute("data-theme"), "light");
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), "light");
  await context.close();
});
