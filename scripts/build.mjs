// Builds the page's wasm: cargo (release, wasm32) → wasm-bindgen --target web → wasm-opt -Os.
// Steps whose inputs have not changed are skipped, so a second run takes seconds.
// With --dist, also assembles dist/ for static hosting (see README).
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
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
  step("wasm-opt -Os (npm binaryen)");
  run(join(root, "node_modules/.bin/wasm-opt"), [
    "-Os",
    "--strip-debug",
    "--strip-producers",
    wasmOut,
    "-o",
    wasmOut,
  ]);
} else {
  console.log("✓ www/pkg is up to date");
}

if (process.argv.includes("--dist")) {
  const { buildDist } = await import("./dist.mjs");
  await buildDist();
}
