// Records tests/fixtures/wasm32.json: scripts/measure_cpython.py run by real CPython compiled to
// 32-bit WebAssembly (the npm pyodide package), in headless Chromium, offline.
// `node scripts/record_wasm32.mjs [--quick]`
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./browser.mjs";
import { root } from "./lib.mjs";
import { serve } from "./serve.mjs";

const quick = process.argv.includes("--quick");
const { server, url } = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30 * 60 * 1000);
  page.on("console", (m) => console.log(`  [page] ${m.text()}`));
  await page.route(`${url}/__harness.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: "<!doctype html><title>wasm32 fixtures</title>" }),
  );
  await page.goto(`${url}/__harness.html`);
  const source = readFileSync(join(root, "scripts/measure_cpython.py"), "utf8");
  const text = await page.evaluate(
    async ({ source, quick }) => {
      const { loadPyodide } = await import("/node_modules/pyodide/pyodide.mjs");
      const py = await loadPyodide({ indexURL: "/node_modules/pyodide/" });
      py.globals.set("progress", (k) => console.log(`${k} scenarios`));
      py.runPython(source.replace('if __name__ == "__main__":', "if False:"));
      return py.runPython(`main(${quick ? "True" : "False"}, progress)`);
    },
    { source, quick },
  );
  const doc = JSON.parse(text);
  const out = join(root, "tests/fixtures/wasm32.json");
  writeFileSync(out, `${text}\n`);
  console.log(`wasm32 (Python ${doc.python}): ${doc.records.length} records -> ${out}`);
} finally {
  await browser.close();
  server.close();
}
