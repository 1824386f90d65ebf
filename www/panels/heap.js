// The lab panel and the heap map of its last run: each pixel a granule of the worker's linear
// memory, coloured by what holds it (Rust builds the RGBA, one putImageData). Hover or move
// the keyboard cursor to read the address, the block and the field there; click or Enter zooms
// in around it, Escape or Reset zooms out.
import { el, fillTable, hideTip, overlayContext, panel, pointer, showTip, swatch } from "../widget/kit.js";
import { mountLab } from "../lab/panel.js";
import { exactBytes, formatBytes, formatCount } from "../widget/units.js";

const PARTS = [
  ["object header", "#56b4e9"],
  ["payload (the values)", "#e69f00"],
  ["pointer slot", "#009e73"],
  ["over-allocated slot", "#f0e442"],
  ["malloc header / rounding", "#d55e00"],
  ["struct padding", "#cc79a7"],
  ["container object", "#0072b2"],
  ["shared object", "#c8c8c8"],
  ["pool header / arena alignment", "#8a3b12"],
];
const WHAT = [
  "",
  "type object",
  "small int (cache)",
  "the constant",
  "list object",
  "pointer array",
  "tuple object",
  "array.array object",
  "array.array data",
  "ndarray object",
  "ndarray shape + strides",
  "ndarray data",
  "int object",
  "float object",
  "range start",
  "empty tuple",
  "comparison",
];

const hex = (a) => `0x${Math.round(a).toString(16).padStart(8, "0")}`;

export function heapPanel(host) {
  const p = panel(
    "heap",
    "Prove it: the lab",
    "Build this structure for real in WebAssembly memory, through an allocator shaped like CPython's, then compare what it took with the model. The map shows every byte of the lab's heap.",
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
  p.toolbar.prepend(zoomOut, reset);
  const legend = el(
    "ul",
    { class: "legend", "aria-label": "heap map colours" },
    ...PARTS.map(([name, c]) => el("li", {}, swatch(c), name)),
    el("li", {}, swatch("var(--free)"), "free: held by the allocator, not in use"),
    el("li", {}, swatch("transparent"), "not the heap's"),
  );
  p.plot.after(legend);
  p.main.setAttribute("aria-roledescription", "heap map");
  p.section.dataset.empty = "true";

  let span = null;
  let win = null;
  let cursor = null;
  let size = [0, 0];
  let result = null;
  let ranScenario = null;
  let drawGen = 0;

  const addrAt = (x, y) => {
    const [w, h] = size;
    const px = Math.min(w - 1, Math.max(0, Math.floor(x)));
    const py = Math.min(h - 1, Math.max(0, Math.floor(y)));
    return win[0] + ((py * w + px + 0.5) * (win[1] - win[0])) / (w * h);
  };

  const describe = (x, y) => {
    const d = host.explorer.heapDescribe(addrAt(x, y));
    if (!d) return [`${hex(addrAt(x, y))}: not the heap's`, "No allocator holds this memory now."];
    return [
      `${hex(d.address)} · ${d.field}`,
      `${d.what}: a ${formatCount(d.blockSize)}-byte block at ${hex(d.blockStart)}${d.requested ? `, ${exactBytes(d.requested)} requested` : ""}`,
      `byte ${d.offset} of the block`,
    ];
  };

  const paintCursor = () => {
    const ctx = overlayContext(p.overlay, p.main);
    if (!cursor || !win) return hideTip(p.tip);
    ctx.strokeStyle = host.dark ? "#fff" : "#000";
    ctx.lineWidth = 1;
    ctx.strokeRect(Math.floor(cursor[0]) - 2.5, Math.floor(cursor[1]) - 2.5, 6, 6);
    const lines = describe(...cursor);
    showTip(p.tip, lines, ...cursor);
    p.summary.textContent = lines.join(". ");
  };

  const setWindow = (w) => {
    win = w;
    const zoomed = span && (w[0] > span[0] || w[1] < span[1]);
    reset.disabled = zoomOut.disabled = !zoomed;
    host.invalidate("heap");
  };

  const zoomAt = (x, y, factor) => {
    if (!win) return;
    const a = addrAt(x, y);
    const len = Math.max((win[1] - win[0]) * factor, 64);
    let lo = Math.max(span[0], a - len / 2);
    const hi = Math.min(span[1], lo + len);
    lo = Math.max(span[0], hi - len);
    setWindow([lo, hi]);
  };

  p.main.addEventListener("pointermove", (e) => {
    if (!win) return;
    cursor = pointer(e, p.main);
    paintCursor();
  });
  p.main.addEventListener("pointerleave", () => {
    cursor = null;
    paintCursor();
  });
  p.main.addEventListener("click", (e) => zoomAt(...pointer(e, p.main), 0.25));
  p.main.addEventListener("keydown", (e) => {
    if (!win) return;
    cursor ??= [size[0] / 2, size[1] / 2];
    const d = { ArrowRight: [4, 0], ArrowLeft: [-4, 0], ArrowUp: [0, -4], ArrowDown: [0, 4] }[e.key];
    if (d)
      cursor = [
        Math.min(size[0] - 1, Math.max(0, cursor[0] + d[0])),
        Math.min(size[1] - 1, Math.max(0, cursor[1] + d[1])),
      ];
    else if (e.key === "Enter" || e.key === "+") zoomAt(...cursor, 0.25);
    else if (e.key === "Escape" || e.key === "-") {
      if (!zoomOut.disabled) zoomAt(...cursor, 4);
      else return;
    } else return;
    e.preventDefault();
    paintCursor();
  });
  zoomOut.addEventListener("click", () => zoomAt(size[0] / 2, size[1] / 2, 4));
  reset.addEventListener("click", () => setWindow(span));

  const labApi = mountLab(lab, {
    getScenario: () => host.scenario(),
    getUnits: () => host.state.units,
    onResult: (r, scenario) => {
      result = r;
      ranScenario = scenario;
      host.explorer.setHeap(r.heap, r.profile, r.n);
      const [lo, hi] = host.explorer.heapSpan();
      span = [lo, hi];
      delete p.section.dataset.empty;
      setWindow(span);
      host.emit("lab", r);
    },
  });

  return {
    section: p.section,
    canvases: [p.main],
    lab: labApi,
    draw(width) {
      if (!win) return;
      const w = width || p.plot.clientWidth || 600;
      const h = Math.max(160, Math.min(320, Math.round(w * 0.35)));
      p.main.style.height = `${h}px`;
      p.plot.style.height = `${h}px`;
      p.main.cssSize = [w, h];
      p.main.width = w;
      p.main.height = h;
      size = [w, h];
      // Rust rasters the map band by band, each band in its own task, so a map of 10**7
      // objects never holds the main thread for long; a newer draw abandons an older one.
      const gen = ++drawGen;
      const ctx2 = p.main.getContext("2d");
      if (!ctx2) throw new Error("canvas: could not get a 2D context");
      const rows = Math.max(16, Math.ceil(h / 8));
      const perRow = (win[1] - win[0]) / h;
      const band = (r0) => {
        if (gen !== drawGen) return;
        const r1 = Math.min(h, r0 + rows);
        const px = host.explorer.heapRaster(
          win[0] + r0 * perRow,
          win[0] + r1 * perRow,
          w,
          r1 - r0,
          host.dark,
        );
        const img = new ImageData(new Uint8ClampedArray(px.buffer, px.byteOffset, px.length), w, r1 - r0);
        ctx2.putImageData(img, 0, r0);
        if (r1 < h) setTimeout(() => band(r1));
        else {
          p.section.dataset.drawn = String(gen);
          paintCursor();
        }
      };
      band(0);
      const bytesPerPixel = (win[1] - win[0]) / (w * h);
      p.main.setAttribute(
        "aria-label",
        `Heap map of ${formatBytes(win[1] - win[0], "iec")} of the lab's memory, ${bytesPerPixel.toFixed(1)} bytes per pixel. Use the arrow keys to read addresses.`,
      );
      const by = new Map();
      const { runCount, runSize, runRequested, runWhat } = result.heap;
      for (let i = 0; i < runWhat.length; i++) {
        const row = by.get(runWhat[i]) ?? [0, 0, 0];
        row[0] += runCount[i];
        row[1] += runCount[i] * runRequested[i];
        row[2] += runCount[i] * runSize[i];
        by.set(runWhat[i], row);
      }
      fillTable(
        p.table,
        "Live blocks in the lab's heap after the build",
        ["what", "blocks", "requested bytes", "block bytes"],
        [...by].map(([what, [n, req, size2]]) => [
          WHAT[what] ?? `kind ${what}`,
          formatCount(n),
          formatCount(req),
          formatCount(size2),
        ]),
      );
    },
  };
}
