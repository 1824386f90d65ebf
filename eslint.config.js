// ESLint flat config: recommended rules for the plain ES modules of the page, scripts and tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["www/pkg/**", "dist/**", "target/**", "node_modules/**", "test-output/**", "bench/**"] },
  js.configs.recommended,
  {
    files: ["www/**/*.js", "src/**/*.js", "tests/browser/fixtures/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ["scripts/**/*.mjs", "tests/**/*.mjs", "examples/**/*.mjs", "*.js"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  { rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] } },
];
