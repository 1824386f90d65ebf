// Records tests/fixtures/wasm32-3.X.json: scripts/measure_cpython.py run by real CPython compiled
// to 32-bit WebAssembly (an npm pyodide package), in headless Chromium, offline.
// `node scripts/record_wasm32.mjs [--pyodide node_modules/pyodide-314] [--quick] [--set code]`
// --set code runs scripts/measure_code.py instead (issue 13's code, items 1-3 without ndarray)
// and writes tests/fixtures/code/wasm32-3.X.json.
// node_modules/pyodide is Pyodide 0.29 (CPython 3.13), node_modules/pyodide-314 Pyodide 314
// (CPython 3.14); neither ships NumPy, so the records have no ndarray rows.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./browser.mjs";
import { root } from "./lib.mjs";
import { serve } from "./serve.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const quick = process.argv.includes("--quick");
const set = arg("--set", "grid");
if (!["grid", "code"].includes(set)) throw new Error(`--set ${set}: expected grid or code`);
const pkgDir = arg("--pyodide", "node_modules/pyodide").replace(/\/$/, "");
const pkg = JSON.parse(readFileSync(join(root, pkgDir, "package.json"), "utf8"));
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
  const codeSource = readFileSync(join(root, "scripts/measure_code.py"), "utf8");
  const text = await page.evaluate(
    async ({ source, codeSource, set, quick, base, version }) => {
      const { loadPyodide } = await import(`${base}/pyodide.mjs`);
      const py = await loadPyodide({ indexURL: `${base}/` });
      py.globals.set("progress", (k) => console.log(`${k} scenarios`));
      const how = `npm pyodide@${version} in headless Debian Chromium (playwright-core), offline`;
      py.globals.set("how", how);
      if (set === "code") {
        // measure_code.py imports measure_cpython from its own directory.
        py.FS.mkdirTree("/measure");
        py.FS.writeFile("/measure/measure_cpython.py", source);
        py.FS.writeFile("/measure/measure_code.py", codeSource);
        py.runPython("import sys; sys.path.insert(0, '/measure'); import measure_code");
        return py.runPython(
          `measure_code.main(${quick ? "True" : "False"}, progress, items=(1, 2, 3), recorded_with=how)`,
        );
      }
      py.runPython(source.replace('if __name__ == "__main__":', "if False:"));
      return py.runPython(`main(${quick ? "True" : "False"}, progress, recorded_with=how)`);
    },
    { source, codeSource, set, quick, base: `/${pkgDir}`, version: pkg.version },
  );
  const doc = JSON.parse(text);
  const out = join(
    root,
    set === "code" ? `tests/fixtures/code/${doc.profile}.json` : `tests/fixtures/${doc.profile}.json`,
  );
  writeFileSync(out, `${text}\n`);
  console.log(
    `${doc.profile} (Python ${doc.python}, Pyodide ${pkg.version}): ${doc.records.length} records -> ${out}`,
  );
} finally {
  await browser.close();
  server.close();
}
