// The lab panel: runs the scenario for real in a worker, shows progress with Cancel, then the
// measured bytes next to the model's with an "equal" check, timings and linear-memory growth.
import { dataTable, el } from "../widget/kit.js";
import { runLab } from "./client.js";
import { exactBytes, formatBytes, formatCount, labelledBytes } from "../widget/units.js";
import { formatPer, formatTime, timerResolutionMs } from "./times.js";

/**
 * Mount the lab into `root`. `getScenario()` returns the current scenario; `getUnits()` the
 * unit system; `onResult(result)` receives each successful report (the heap map panel uses it).
 * Returns { run, cancel, destroy }.
 */
export function mountLab(root, { getScenario, getUnits = () => "si", onResult = () => {} }) {
  const run = el("button", { type: "button", class: "primary", text: "Run the lab" });
  const cancel = el("button", { type: "button", text: "Cancel", disabled: true });
  const allocator = el(
    "select",
    { id: "lab-allocator" },
    el("option", { value: "cpython", text: "CPython's (pymalloc + malloc)" }),
    el("option", { value: "rust", text: "Rust's own allocator" }),
  );
  const progress = el("progress", { max: 1, value: 0, hidden: true, "aria-label": "lab progress" });
  const status = el("p", { class: "lab-status", role: "status", "aria-live": "polite" });
  const results = el("div", { class: "lab-results" });
  root.append(
    el(
      "div",
      { class: "lab-controls" },
      run,
      cancel,
      el("label", { htmlFor: "lab-allocator", text: "allocator " }, allocator),
      progress,
    ),
    status,
    results,
  );

  let controller = null;

  const finish = () => {
    controller = null;
    run.disabled = false;
    cancel.disabled = true;
    progress.hidden = true;
  };

  async function start() {
    if (controller) return;
    const scenario = getScenario();
    controller = new AbortController();
    run.disabled = true;
    cancel.disabled = false;
    progress.hidden = false;
    progress.removeAttribute("value");
    results.replaceChildren();
    status.textContent = `Building ${formatCount(scenario.n)} elements in a fresh WebAssembly instance…`;
    try {
      const r = await runLab(
        scenario,
        { allocator: allocator.value },
        {
          signal: controller.signal,
          onProgress: ({ phase, done, total }) => {
            progress.max = Math.max(total, 1);
            progress.value = Math.min(done, total);
            status.textContent = `${phase}: ${formatCount(done)} of ${formatCount(total)}`;
          },
        },
      );
      show(r, scenario);
      status.textContent = verdict(r, scenario);
      // The heap map's set-up in a task of its own: no main-thread task near 50 ms.
      await new Promise((ok) => setTimeout(ok));
      onResult(r, scenario);
    } catch (e) {
      results.replaceChildren();
      status.textContent = e.message;
      root.dataset.error = "true";
    } finally {
      finish();
    }
  }

  /** What ran, so that results stay readable once the controls have moved on. */
  function what(s) {
    const type = s.typecode ? ` '${s.typecode}'` : s.dtype ? ` ${s.dtype}` : "";
    return `${s.container}${type} of ${formatCount(s.n)} on ${s.profile}`;
  }

  function verdict(r, scenario) {
    delete root.dataset.error;
    const eq = r.equal.requested && r.equal.allocated !== false;
    return eq
      ? `Measured equals modelled for ${what(scenario)}: ${exactBytes(r.requested)} requested${r.allocated === null ? "" : `, ${exactBytes(r.allocated)} allocated`}.`
      : "Measured and modelled differ: see the table.";
  }

  function show(r, scenario) {
    const u = getUnits();
    const check = (ok) =>
      ok === null || ok === undefined
        ? el("span", { class: "check na", text: "not observable" })
        : el("span", { class: ok ? "check ok" : "check bad", text: ok ? "✓ equal" : "✗ differs" });
    const row = (label, measured, model, ok) => [
      label,
      measured === null ? "not observable" : exactBytes(measured),
      exactBytes(model),
      check(ok),
    ];
    const bytes = dataTable(
      `What the lab allocated for ${what(scenario)}`,
      ["figure", "measured", "model", "check"],
      [
        row("requested (tracemalloc)", r.requested, r.model.requested, r.equal.requested),
        row("allocated (blocks)", r.allocated, r.model.allocated, r.equal.allocated),
      ],
      { class: "lab-bytes" },
    );
    const held = el(
      "p",
      { class: "lab-held" },
      `Held from the system: ${exactBytes(r.held.total)} = ${labelledBytes(r.held.total, u)}: ${heldText(r, u)}.`,
    );
    const t = r.timesMs;
    const time = (label, ms, note) => [label, formatTime(ms), note];
    const skipped = "not built: the boxed list would not fit beside it in 4 GiB";
    const perEl = (ms) => (ms === null ? skipped : formatPer(ms, r.n));
    const res = timerResolutionMs();
    const times = dataTable(
      `Wall times in this browser (performance.now, which this page's browser rounds to ${
        res < 0.01
          ? "5 µs: the page is cross-origin isolated"
          : "100 µs: the page is not cross-origin isolated"
      })${r.comparison ? "" : "; the packed structure ran alone"}`,
      ["step", "time", "per element"],
      [
        time("build boxed (objects + pointers)", t.buildBoxed, perEl(t.buildBoxed)),
        time("build packed (one buffer)", t.buildPacked, perEl(t.buildPacked)),
        time("sum through pointers, in order", t.traverseBoxed, perEl(t.traverseBoxed)),
        time("sum the packed buffer", t.traversePacked, perEl(t.traversePacked)),
        t.traverseShuffled === null
          ? null
          : time("sum through pointers, shuffled", t.traverseShuffled, perEl(t.traverseShuffled)),
        time("free boxed", t.freeBoxed, perEl(t.freeBoxed)),
        time("commit memory first (page faults)", t.commit, "before the clock, not in build"),
      ],
      { class: "lab-times" },
    );
    const pages = el(
      "p",
      { class: "lab-pages" },
      `Linear memory: ${formatCount(r.pages.before)} → ${formatCount(r.pages.afterBuild)} pages of 64 KiB after the build (${formatBytes(
        (r.pages.afterBuild - r.pages.before) * r.pages.pageBytes,
        "iec",
      )} grown); it never shrinks, so the worker that ran this has ended and given it back.`,
    );
    results.replaceChildren(bytes, held, times, pages);
  }

  function heldText(r, u) {
    if (r.held.arenas === 0) return `malloc's heap segments and maps`;
    return `${r.held.arenas} pymalloc ${r.held.arenas === 1 ? "arena" : "arenas"}, ${formatBytes(r.held.arenaBytes, u)} in all (of it ${formatBytes(
      r.held.poolHeaderBytes,
      u,
    )} pool headers, ${formatBytes(r.held.freeBlockBytes, u)} free blocks, ${formatBytes(
      r.held.unusedPoolBytes,
      u,
    )} unused pools, ${formatBytes(r.held.arenaAlignmentBytes, u)} arena alignment) and malloc's ${formatBytes(
      r.held.chunkHeapBytes,
      u,
    )}`;
  }

  run.addEventListener("click", start);
  cancel.addEventListener("click", () => controller?.abort());
  return {
    run: start,
    cancel: () => controller?.abort(),
    destroy: () => {
      controller?.abort();
      root.replaceChildren();
    },
  };
}
