// Assembles dist/: the site as it is hosted, what a visitor downloads. The JS is bundled and
// minified by esbuild (one shared chunk for what the page, the widget and the lab worker have
// in common, so nothing downloads twice), the CSS minified, the wasm and the pages copied.
// dist/ keeps the source tree's paths (dist/index.html, dist/www/...), so the same relative
// URLs work in both, and `node scripts/serve.mjs` serves either.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";
import { root } from "./lib.mjs";

export const distDir = join(root, "dist");

/** The pages at the top level and the JS entry points they (or their workers) load. */
export const PAGES = ["index.html", "embed.html"];
export const ENTRIES = ["main.js", "boxed-vs-packed.js", "embed.js", "lab-worker.js"];

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/**
 * A page's HTML with <link rel="modulepreload"> for the chunks its module script imports, so
 * the browser fetches them alongside the entry instead of after parsing it.
 */
function preloads(html, metafile, out) {
  const entry = /<script type="module" src="([^"]+)"><\/script>/.exec(html)?.[1];
  if (!entry) return html;
  const key = Object.keys(metafile.outputs).find((o) => relative(out, o) === entry);
  const chunks = (metafile.outputs[key]?.imports ?? [])
    .filter((i) => i.kind === "import-statement")
    .map((i) => relative(out, i.path));
  const links = chunks.map((c) => `<link rel="modulepreload" href="${c}" />`).join("\n    ");
  return html.replace(/(\s*)(<script type="module")/, `$1${links}$1$2`);
}

export async function buildDist(out = distDir) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const www = join(root, "www");
  const result = await build({
    metafile: true,
    entryPoints: ENTRIES.map((e) => join(www, e)).filter(existsSync),
    outdir: join(out, "www"),
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    sourcemap: "linked",
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    logLevel: "warning",
  });
  await build({
    entryPoints: [join(www, "style.css")],
    outdir: join(out, "www"),
    minify: true,
    logLevel: "warning",
  });
  for (const page of PAGES) {
    if (existsSync(join(root, page)))
      writeFileSync(join(out, page), preloads(readFileSync(join(root, page), "utf8"), result.metafile, out));
  }
  for (const f of readdirSync(www)) if (f.endsWith(".svg")) copy(join(www, f), join(out, "www", f));
  copy(join(www, "pkg/boxed_vs_packed_bg.wasm"), join(out, "www/pkg/boxed_vs_packed_bg.wasm"));
  console.log(`✓ dist/ assembled (${readdirSync(join(out, "www")).length} files in dist/www)`);
}
