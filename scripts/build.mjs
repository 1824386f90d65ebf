// Builds the site: cargo (release, wasm32) → wasm-bindgen --target web → wasm-opt -Os into
// www/pkg (the source tree then runs as is), then dist/, the site as hosted: bundled and
// minified JS, the wasm and the pages (scripts/dist.mjs). The wasm steps are skipped when
// their input has not changed, so a second run takes seconds.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildDist } from "./dist.mjs";
import { root, run, step } from "./lib.mjs";

const wasmIn = join(root, "target/wasm32-unknown-unknown/release/boxed_vs_packed.wasm");
const pkg = join(root, "www/pkg");
const wasmOut = join(pkg, "boxed_vs_packed_bg.wasm");

step("cargo build --release --target wasm32-unknown-unknown");
run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib"]);

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
if (mtime(wasmOut) < mtime(wasmIn)) {
  step("wasm-bindgen --target web → www/pkg");
  mkdirSync(pkg, { recursive: true });
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", pkg, wasmIn]);
  step("wasm-opt -Os --converge (npm binaryen)");
  const opt = join(root, "node_modules/.bin/wasm-opt");
  run(opt, ["-Os", "--converge", "--strip-debug", "--strip-producers", wasmOut, "-o", wasmOut]);
} else {
  console.log("✓ www/pkg is up to date");
}

step("dist/: esbuild bundles and minifies the JS and CSS");
await buildDist();
