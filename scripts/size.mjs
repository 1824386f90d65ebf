// Transfer sizes of everything a visitor can download from the hosted site (dist/: the pages,
// the bundled JS, CSS, the wasm; source maps excluded, as only developer tools fetch them):
// raw, gzip -9 and brotli, and the total. With --check, fails past the gzip budget (BUDGET_GZIP).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { distDir } from "./dist.mjs";

// 160 KiB for the site on serde-wasm-bindgen and plotters-canvas (issue 9), + 2 KiB measured for
// what issues 10 and 11 added: CPython 3.14 and 3.15, Pyodide 314, NumPy 1.21 and their controls,
// the nearest valid scenario, NumPy's warnings, glibc's mmap-threshold ranges and the widget's
// fault isolation (165,049 B built, 1,209 B past 160 KiB, once the scenario's boundary types lost
// their serde flatten maps; before that the same features built to 172,284 B).
// + 33 KiB measured for issue 12 (198,732 B built, 33,683 B more than before it): the story that
// follows the explorer, the object diagram (6.2 KB of wasm, a 5.4 KB lazy chunk), the heap map
// you can read at any n (2.1 KB of wasm, a 5.5 KB lazy chunk), the flame graph's search, zoom
// path, flame/icicle and touch (a 2.3 KB chunk loaded after first render), the chosen comparison
// (2.4 KB of wasm), the embed builder (loaded when opened) and the classroom's answer reading.
// + 16 KiB measured for issue 13 (215,218 B built, 16,486 B more): list literals, int_offset,
// containers built from a list, ndarray shapes and views, in the model, the lab, the diagram,
// the controls and the story; nearly all of it (14 KiB) is wasm, which cannot load lazily.
export const BUDGET_GZIP = 211 * 1024;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** [{file, raw, gzip, brotli}] for the page's files, plus a total row. */
export function sizes(base = distDir) {
  const files = walk(base).filter((f) => /\.(html|js|css|wasm|svg)$/.test(f));
  const rows = files.map((f) => {
    const buf = readFileSync(f);
    return {
      file: relative(base, f),
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = { file: "total", raw: 0, gzip: 0, brotli: 0 };
  for (const r of rows) for (const k of ["raw", "gzip", "brotli"]) total[k] += r[k];
  return [...rows.sort((a, b) => b.gzip - a.gzip), total];
}

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

if (process.argv[1]?.endsWith("size.mjs")) {
  const rows = sizes();
  const w = Math.max(...rows.map((r) => r.file.length));
  console.log(`${"file".padEnd(w)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}  ${"brotli".padStart(10)}`);
  for (const r of rows) {
    console.log(
      `${r.file.padEnd(w)}  ${kib(r.raw).padStart(10)}  ${kib(r.gzip).padStart(10)}  ${kib(r.brotli).padStart(10)}`,
    );
  }
  const total = rows.at(-1);
  const verdict = `${total.gzip} bytes gzipped (${total.brotli} brotli), budget ${BUDGET_GZIP} (${BUDGET_GZIP / 1024} KiB gzip)`;
  if (process.argv.includes("--check") && total.gzip > BUDGET_GZIP) {
    console.error(`✗ the page is over its size budget: ${verdict}`);
    process.exit(1);
  }
  console.log(`✓ page transfer: ${verdict}`);
}
