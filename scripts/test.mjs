// Every test, in pyramid order: lint, native cargo tests (model vs real CPython fixtures,
// properties), wasm tests under Node, the size budget, then browser tests in Chromium.
// Exits non-zero on the first failure. Run through `npm test`, which first sets up and builds.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { root, run, step } from "./lib.mjs";

const times = [];
const timed = (name, fn) => {
  step(name);
  const t0 = Date.now();
  fn();
  times.push([name, Date.now() - t0]);
};

timed("lint: cargo fmt --check", () => run("cargo", ["fmt", "--check"]));
timed("lint: cargo clippy (native and wasm32), warnings are errors", () => {
  run("cargo", ["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
  run("cargo", ["clippy", "--target", "wasm32-unknown-unknown", "--lib", "--quiet", "--", "-D", "warnings"]);
});
timed("lint: eslint + prettier", () => {
  run(join(root, "node_modules/.bin/eslint"), ["."]);
  run(join(root, "node_modules/.bin/prettier"), ["--check", "--log-level", "warn", "."]);
});
timed("native tests: cargo test", () => run("cargo", ["test", "--quiet"]));
timed("wasm tests: wasm-bindgen-test-runner under Node", () =>
  run(
    "cargo",
    ["test", "--release", "--target", "wasm32-unknown-unknown", "--test", "wasm", "--test", "wasm_lab"],
    {
      env: { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner" },
    },
  ),
);
timed("size budget", () => run("node", ["scripts/size.mjs", "--check"]));
timed("a test build of the wasm, with the test-only hooks (feature test-hooks), for the crash test", () => {
  // Its own target dir, so the site's release build stays cached; unoptimised, it builds fast.
  const dir = join(root, "target/test-hooks");
  run("cargo", [
    "build",
    "--quiet",
    "--target",
    "wasm32-unknown-unknown",
    "--lib",
    "--features",
    "test-hooks",
    "--target-dir",
    dir,
  ]);
  run("wasm-bindgen", [
    "--target",
    "web",
    "--no-typescript",
    "--out-dir",
    join(root, "target/test-pkg"),
    join(dir, "wasm32-unknown-unknown/debug/boxed_vs_packed.wasm"),
  ]);
});
timed("browser tests: Chromium via playwright-core", () => {
  const files = readdirSync(join(root, "tests/browser"))
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => join("tests/browser", f));
  run("node", ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files]);
});

console.log("\n✓ all tests passed");
for (const [name, ms] of times) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
