// Small helpers shared by the set-up, build, test and bench scripts: run a command with its
// output shown, read a command's output, and find the repository root.
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Debian's Chromium, which the browser tests, the benchmarks and the recorder drive. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Run a command in the repo root, streaming its output; exit with its code if it fails. */
export function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) {
    console.error(`✗ could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`✗ ${cmd} ${args.join(" ")} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return Date.now() - t0;
}

/** A command's stdout, or null if it cannot run or fails. */
export function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

export function step(msg) {
  console.log(`\n▸ ${msg}`);
}
