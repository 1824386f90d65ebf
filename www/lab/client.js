// Runs the lab off the main thread: a fresh module worker per run (so its linear memory is
// given back when it ends), progress callbacks, cancellation with an AbortSignal.
// The worker gets the page's compiled module: workers then share V8's compiled (and
// optimised) code instead of starting every run cold.
import { WWW, wasmModule } from "../wasm.js";

/**
 * A module worker running lab-worker.js. Browsers only start workers from the page's own
 * origin: a widget embedded from another host starts a tiny same-origin blob worker that
 * imports the real one (CORS applies, as for the widget's own module).
 */
function startWorker() {
  const url = new URL("lab-worker.js", WWW);
  if (url.origin === location.origin) return new Worker(url, { type: "module" });
  const shim = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(shim), { type: "module" });
}

/**
 * runLab(scenario, options, { onProgress, signal }) → Promise of the lab report.
 * Rejects with an Error whose message says what went wrong (bad input, memory limit, a crash,
 * or "cancelled"); the next call always starts a new worker.
 */
export async function runLab(scenario, options = {}, { onProgress, signal } = {}) {
  const module = await wasmModule();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error("the lab run was cancelled"));
      return;
    }
    const worker = startWorker();
    const finish = (fn, value, ended = false) => {
      // A worker that reported its result ends itself (see lab-worker.js); one that is
      // cancelled or failed is ended here.
      if (!ended) worker.terminate();
      signal?.removeEventListener("abort", onAbort);
      fn(value);
    };
    const onAbort = () => finish(reject, new Error("the lab run was cancelled"));
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") onProgress?.(data);
      else if (data.type === "result") {
        // The worker has closed itself and is releasing its linear memory. Giving back
        // hundreds of MiB stalls page faults process-wide for a moment, so the page stays idle
        // that long (about 4 MiB per ms, at most half a second) before it shows the result.
        const bytes = (data.result.pages?.afterBuild ?? 0) * 65536;
        setTimeout(() => finish(resolve, data.result, true), Math.min(500, bytes / 4e6));
      } else finish(reject, Object.assign(new Error(data.message), { crashed: data.crashed }));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      finish(
        reject,
        Object.assign(new Error(`the lab worker failed: ${e.message ?? "unknown error"}`), { crashed: true }),
      );
    };
    try {
      worker.postMessage({ scenario, options, module });
    } catch (e) {
      // A value the structured clone cannot carry (a function, a DOM node): the worker never
      // starts its run, and is ended here, not left behind.
      finish(
        reject,
        new Error(`runLab: the scenario or options cannot be sent to the lab worker (${e.message})`),
      );
    }
  });
}
