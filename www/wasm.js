// Loads the wasm once per page: one fetch, one compile. Every widget shares the instance, and
// every lab worker gets the same compiled module (so workers reuse V8's optimised code).
import init, * as api from "./pkg/boxed_vs_packed.js";

let compiled = null;
let ready = null;

/** The compiled WebAssembly.Module (to hand to workers). */
export function wasmModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(new URL("./pkg/boxed_vs_packed_bg.wasm", import.meta.url)));
  return compiled;
}

/** Resolves to the package's exports once the module is instantiated on this thread. */
export function wasm() {
  ready ??= wasmModule()
    .then((module) => init({ module_or_path: module }))
    .then(() => api);
  return ready;
}
