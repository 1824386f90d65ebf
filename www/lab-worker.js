// One lab experiment in its own wasm instance. The page starts a fresh worker per run and
// terminates it afterwards: that is the only way to give wasm linear memory back.
import init, { runLab } from "./pkg/boxed_vs_packed.js";

self.onmessage = async ({ data }) => {
  const { scenario, options, module } = data;
  try {
    await init({ module_or_path: module });
    const onProgress = (phase, done, total) => self.postMessage({ type: "progress", phase, done, total });
    const result = runLab(scenario, { ...options, onProgress });
    const transfer = Object.values(result.heap)
      .filter((a) => ArrayBuffer.isView(a))
      .map((a) => a.buffer);
    self.postMessage({ type: "result", result }, transfer);
    // End here, on this thread: the page need not call terminate() (which costs the main
    // thread a stall of tens of ms while hundreds of MiB of linear memory are released).
    self.close();
  } catch (e) {
    // A panic surfaces as a WebAssembly.RuntimeError ("unreachable"): this instance is dead.
    const crashed = e instanceof WebAssembly.RuntimeError;
    const message = crashed
      ? `the lab crashed (${e.message}); the next run starts afresh`
      : String(e?.message ?? e);
    self.postMessage({ type: "error", message, crashed });
  }
};
