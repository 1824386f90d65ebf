// Launches Debian's Chromium through playwright-core, headless and offline-friendly, for the
// browser tests, the benchmarks and the wasm32 fixture recorder. Never downloads a browser.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM } from "./lib.mjs";

export const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launch(extraArgs = []) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: npm test and npm start install it (node scripts/setup.mjs), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraArgs] });
}
