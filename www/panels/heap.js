// The lab panel, and the frame of the heap map of its last run. The map itself (drawing, hover,
// zoom, the legend's filters) is in heapview.js, loaded when the first run ends: the page does
// not need it to open.
import { el, fillTable, panel } from "../widget/kit.js";
import { mountLab } from "../lab/panel.js";

const WHAT = [
  "",
  "type object",
  "small int (cached)",
  "the constant",
  "list object (PyListObject)",
  "pointer array",
  "tuple object",
  "array.array object",
  "array.array data",
  "ndarray object",
  "ndarray shape + strides",
  "ndarray data",
  "int object (PyLongObject)",
  "float object (PyFloatObject)",
  "range start",
  "empty tuple",
  "comparison",
];

export function heapPanel(host) {
  const p = panel(
    "heap",
    "Prove it: the lab",
    "Build this structure for real in WebAssembly memory, through an allocator shaped like CPython's, then compare what it took with the model. The map shows the lab's heap byte by byte: its objects up close, its arenas, pools and chunks from afar.",
    () => ({
      // The scenario the run built, not whatever the controls show now.
      scenario: ranScenario ?? host.scenario(),
      lab: result && {
        requested: result.requested,
        allocated: result.allocated,
        model: result.model,
        equal: result.equal,
        held: result.held,
        timesMs: result.timesMs,
      },
    }),
  );
  const lab = el("div", { class: "lab" });
  p.toolbar.before(lab);
  const zoomOut = el("button", { type: "button", text: "Zoom out", disabled: true });
  const reset = el("button", { type: "button", text: "Reset zoom", disabled: true });
  const whole = el("button", { type: "button", text: "Whole heap", disabled: true });
  p.toolbar.prepend(zoomOut, reset, whole);
  const legend = el("ul", {
    class: "legend heap-legend",
    "aria-label": "heap map colours: press to show or hide",
  });
  const scale = el("p", { class: "heap-scale" });
  p.plot.after(scale, legend);
  p.main.setAttribute("aria-roledescription", "heap map");
  p.section.dataset.empty = "true";
  p.whatName = (what) => WHAT[what] ?? `kind ${what}`;

  let result = null;
  let ranScenario = null;
  let view = null;
  let loading = null;

  const labApi = mountLab(lab, {
    getScenario: () => host.scenario(),
    getUnits: () => host.state.units,
    onResult: async (r, scenario) => {
      result = r;
      ranScenario = scenario;
      host.explorer.setHeap(r.heap, r.profile, r.n);
      loading ??= import("./heapview.js").then((m) =>
        m.heapView(host, p, { zoomOut, reset, whole, legend, scale }),
      );
      try {
        view = await loading;
      } catch (e) {
        loading = null;
        host.guard("heap", () => {
          throw new Error(`the heap map did not load: ${e.message}`);
        });
        return;
      }
      if (result !== r) return;
      view.load(r);
      delete p.section.dataset.empty;
      host.invalidate("heap");
      host.emit("lab", r);
    },
  });

  return {
    section: p.section,
    canvases: [p.main],
    lab: labApi,
    draw(width) {
      if (!view || !result) return;
      view.draw(width || p.plot.clientWidth || 600);
      fillTable(
        p.table,
        "Live blocks in the lab's heap after the build, and the allocators' structure",
        ["what", "blocks", "requested bytes", "block bytes"],
        p.rows ?? [],
      );
    },
  };
}
