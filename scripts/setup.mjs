// Installs what a fresh machine lacks, and skips what is already right: the wasm32 target,
// wasm-bindgen-cli at exactly the Cargo.lock version, the npm dev packages (npm ci), and
// Debian's Chromium for the browser tests and benchmarks (as root: apt-get; otherwise it stops
// with the exact command to run). `npm start` and `npm test` both run this first.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM, output, root, run, step } from "./lib.mjs";

const t0 = Date.now();

const targets = output("rustup", ["target", "list", "--installed"]);
if (targets === null) {
  console.error("✗ rustup is not on PATH: install Rust from https://rustup.rs first");
  process.exit(1);
}
if (!targets.split("\n").includes("wasm32-unknown-unknown")) {
  step("adding the wasm32-unknown-unknown target");
  run("rustup", ["target", "add", "wasm32-unknown-unknown"]);
}

const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
if (!m) {
  console.error("✗ Cargo.lock has no wasm-bindgen entry");
  process.exit(1);
}
const want = m[1];
const have = (output("wasm-bindgen", ["--version"]) ?? "").trim().split(" ")[1];
if (have !== want) {
  step(`installing wasm-bindgen-cli ${want} (found ${have ?? "none"}; takes about 3 minutes)`);
  // Not --locked: the registry mirror lacks some of the CLI's pinned dependency versions.
  run("cargo", ["install", "wasm-bindgen-cli", "--version", want]);
}

// npm ci only when package-lock.json changed since the last install.
const lockHash = createHash("sha256")
  .update(readFileSync(join(root, "package-lock.json")))
  .digest("hex");
const stamp = join(root, "node_modules", ".bvp-lock-hash");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lockHash) {
  step("installing npm dev packages (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, lockHash);
}

// Chromium: Debian's own package (never a browser downloaded by a test tool).
if (!existsSync(CHROMIUM)) {
  const install = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium";
  if (process.getuid?.() !== 0) {
    console.error(
      `✗ ${CHROMIUM} is missing, and installing it needs root. Run:\n\n    sudo sh -c '${install}'\n`,
    );
    process.exit(1);
  }
  step("installing Debian's chromium (apt-get update, then apt-get install -y chromium)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", "chromium"], { env });
  if (!existsSync(CHROMIUM)) {
    console.error(`✗ apt-get installed chromium, but ${CHROMIUM} is still missing`);
    process.exit(1);
  }
}

console.log(`✓ set-up checked in ${((Date.now() - t0) / 1000).toFixed(1)} s (wasm-bindgen ${want})`);
