// Loads the wasm once per page: one fetch, one compile. Every widget shares the instance, and
// every lab worker gets the same compiled module (so workers reuse V8's optimised code).
import init, * as api from "./pkg/boxed_vs_packed.js";

/**
 * The URL of www/ on whatever host serves it. This module sits at www/'s top level both in the
 * source tree and in dist/ (where the bundler puts it in a shared chunk beside the entries),
 * so modules in subfolders locate the site's files from here, not from their own URL.
 */
export const WWW = new URL("./", import.meta.url);

let compiled = null;
let ready = null;

/** The compiled WebAssembly.Module (to hand to workers). */
export function wasmModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(new URL("pkg/boxed_vs_packed_bg.wasm", WWW)));
  return compiled;
}

/** Resolves to the package's exports once the module is instantiated on this thread. */
export function wasm() {
  ready ??= wasmModule()
    .then((module) => init({ module_or_path: module }))
    .then(() => api);
  return ready;
}
