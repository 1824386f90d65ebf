// The memory-vs-n and bytes-per-element panels: Rust draws both (Explorer.drawSeries,
// drawBars); here are the crosshair and marker overlay, segment hover, keyboard stepping, data
// tables and spoken summaries.
import {
  el,
  fillTable,
  hideTip,
  outline,
  overlayContext,
  panel,
  pointer,
  showTip,
  swatch,
  tipText,
} from "../widget/kit.js";
import { ACC_LABEL, exactBytes, formatBytes, formatCount, labelledBytes } from "../widget/units.js";

export const SEGMENTS = [
  "pointer slot",
  "object header",
  "payload",
  "padding",
  "over-allocation",
  "allocator rounding",
  "container header",
  "shared objects",
];

/** The bar segments' colours, as Rust paints them (charts/mod.rs, Okabe–Ito). */
const SEGMENT_COLORS = [
  "#009e73",
  "#56b4e9",
  "#e69f00",
  "#cc79a7",
  "#f0e442",
  "#d55e00",
  "#0072b2",
  "#c8c8c8",
];

const SEGMENT_EXPLAIN = [
  "The container's slot: an 8-byte (4 on wasm32) pointer to the element's object.",
  "Each element's own object header: reference count, type pointer, size or tag (and GC links).",
  "The number itself: the digits of an int, the double of a float, the packed item of an array.",
  "Bytes the object's size rounds up to (3.11+ allocates a whole PyLongObject for small ints).",
  "Slots the container allocated ahead of need so appends stay fast.",
  "What the allocator adds on top of the request: size-class rounding, malloc headers.",
  "The container's own header, shared by all elements.",
  "Objects shared with the rest of the interpreter (small ints, one repeated value): free here.",
];

/**
 * Keep a tooltip shown for the keyboard on screen: the page scrolls as little as brings it all
 * into view (a pointer's tooltip is where the pointer is, and needs none of this).
 */
function keepInView(tip) {
  const r = tip.getBoundingClientRect();
  if (r.top < 0 || r.bottom > innerHeight) tip.scrollIntoView({ block: "nearest" });
}

export function seriesPanel(host) {
  const p = panel(
    "series",
    "Memory vs n",
    "Total bytes of the same n numbers on log scales: your scenario (solid, filled squares), the one compared with (dashed, hollow squares), and thin grey lines for other usual ways to hold them. The dashed upright line is your n. Hover, or focus and use the arrow keys, to read exact values.",
    () => ({
      scenario: host.scenario(),
      compare: host.compareScenario,
      accounting: host.state.accounting,
      units: host.state.units,
    }),
  );
  let cursorN = null;
  // The lines' names, in the order seriesValues gives their bytes (set when drawn).
  let names = [];

  const valuesAt = (n) => {
    const v = host.explorer.seriesValues(n, host.state.accounting);
    return names.map((name, i) => [name, v[i + 1]]);
  };
  /** The two scenarios at n, for the live summary and the chart's accessible name. */
  const spoken = (n) => {
    const s = host.state;
    const two = valuesAt(n).slice(0, 2);
    return `At n = ${formatCount(n)} (${ACC_LABEL[s.accounting]}): ${two
      .map(([k, b]) => `${k} ${formatBytes(b, s.units)}`)
      .join("; ")}.`;
  };
  const label = (text) =>
    p.main.setAttribute(
      "aria-label",
      `Memory versus n, log-log: ${names[0]} (solid line) and ${names[1]} (dashed line), with ${Math.max(0, names.length - 2)} reference lines. ${text}`,
    );

  const paint = (keyboard = false) => {
    const ctx = overlayContext(p.overlay, p.main);
    const [x0, y0, , y1] = host.explorer.seriesPlot();
    if (x0 === undefined) return;
    const mark = (n, style, dash = []) => {
      const x = host.explorer.seriesX(Math.max(n, 1));
      ctx.strokeStyle = style;
      ctx.setLineDash(dash);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.stroke();
      return x;
    };
    // Your n: dashed, in the ink colour (no series uses it); the hover cursor: solid grey.
    mark(host.state.n, host.dark ? "#e8eaed" : "#1f2328", [6, 4]);
    if (cursorN === null) {
      hideTip(p.tip);
      return;
    }
    const x = mark(cursorN, host.dark ? "#a8b0ba" : "#59636e");
    const s = host.state;
    const line = ([k, b]) =>
      Number.isNaN(b)
        ? `${k}: — (a list literal is written out up to 10,000 items)`
        : `${k}: ${exactBytes(b)} = ${labelledBytes(b, s.units)}`;
    const rows = valuesAt(cursorN);
    // The two scenarios first; the references largest first, the order they stand in at this n.
    const refs = rows.slice(2).sort((a, b) => b[1] - a[1]);
    const y = (y0 + y1) / 3;
    showTip(
      p.tip,
      [
        `n = ${formatCount(cursorN)} (${ACC_LABEL[s.accounting]})`,
        ...rows.slice(0, 2).map(line),
        ...(refs.length ? [{ note: `For reference: ${refs.map(line).join("; ")}` }] : []),
      ],
      x,
      y,
    );
    if (keyboard) keepInView(p.tip);
  };

  p.main.addEventListener("pointermove", (e) => {
    const [x] = pointer(e, p.main);
    const [x0, , x1] = host.explorer.seriesPlot();
    cursorN = x >= x0 && x <= x1 ? Math.round(host.explorer.seriesAt(x, host.state.accounting)[0]) : null;
    paint();
  });
  p.main.addEventListener("pointerleave", () => {
    cursorN = null;
    paint();
  });
  p.main.addEventListener("keydown", (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowUp: 1, ArrowDown: -1 }[e.key];
    if (!step && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    // Eighths of a decade, like the drawn points; Home/End jump to the ends.
    const k =
      cursorN === null
        ? Math.round(Math.log10(Math.max(host.state.n, 1)) * 8)
        : Math.round(Math.log10(Math.max(cursorN, 1)) * 8);
    const next = e.key === "Home" ? 0 : e.key === "End" ? 72 : Math.min(72, Math.max(0, k + step));
    cursorN = Math.round(10 ** (next / 8));
    paint(true);
    // The chart's name follows the cursor, and the live region reads it.
    p.summary.textContent = spoken(cursorN);
    label(p.summary.textContent);
  });
  p.main.addEventListener("blur", () => {
    if (cursorN === null) return;
    cursorN = null;
    paint();
    label(spoken(host.state.n));
  });

  return {
    section: p.section,
    canvases: [p.main],
    draw(width) {
      const s = host.state;
      const w = width || p.plot.clientWidth || 600;
      // Narrow: Rust puts the legend under the plot (charts/series.rs), so give it room.
      const h = w < 552 ? 380 : Math.max(240, Math.min(420, Math.round(w * 0.5)));
      p.main.style.height = `${h}px`;
      p.plot.style.height = `${h}px`;
      p.main.cssSize = [w, h];
      names = host.explorer.drawSeries(
        p.main,
        w,
        h,
        window.devicePixelRatio || 1,
        s.accounting,
        s.units,
        host.dark,
      );
      this.mark();
      const decades = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((e) => 10 ** e);
      if (!decades.includes(s.n)) decades.push(s.n);
      decades.sort((a, b) => a - b);
      fillTable(
        p.table,
        `Total bytes (${ACC_LABEL[s.accounting]}) by n; the reference lines on ${s.profile}`,
        ["n", ...names],
        // (— past what a scenario reaches: a list literal is written out up to 10,000 items)
        decades.map((n) => [
          formatCount(n),
          ...valuesAt(n).map(([, b]) => (Number.isNaN(b) ? "—" : formatCount(b))),
        ]),
      );
    },
    /** Move the n marker (cheap: the overlay only) and say what it shows. */
    mark() {
      paint();
      p.summary.textContent = spoken(host.state.n);
      label(p.summary.textContent);
    },
  };
}

export function barsPanel(host) {
  const p = panel(
    "bars",
    "Bytes per element",
    "What each element costs, your scenario above the one compared with, split into its parts. Hover a segment, or focus and use the arrow keys.",
    () => ({
      scenario: host.scenario(),
      compare: host.compareScenario,
      accounting: host.state.accounting,
      units: host.state.units,
    }),
  );
  let rows = [];
  let segs = [];
  let focus = -1;
  const legend = SEGMENTS.map((name, i) => el("li", {}, swatch(SEGMENT_COLORS[i]), name));
  p.plot.after(el("ul", { class: "legend", "aria-label": "segment colours" }, ...legend));

  // A row from Rust: [label, 8 × hundredths of a byte per element, 8 × exact total bytes].
  const split = (row) => [row.label, row.perElementHundredths, row.bytes];
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);

  const segText = (i) => {
    const [bar, seg] = [segs[i * 6], segs[i * 6 + 1]];
    const [label, per, bytes] = split(rows[bar]);
    const total = sum(bytes) || 1;
    const s = host.state;
    return [
      `${SEGMENTS[seg]}: ${(per[seg] / 100).toFixed(2)} B per element`,
      `${exactBytes(bytes[seg])} in all for n = ${formatCount(s.n)} (${labelledBytes(bytes[seg], s.units)})`,
      `${((100 * bytes[seg]) / total).toFixed(1)}% of ${label}, ${ACC_LABEL[s.accounting]}`,
      { note: SEGMENT_EXPLAIN[seg] },
    ];
  };

  const show = (i, at) => {
    const ctx = overlayContext(p.overlay, p.main);
    if (i < 0 || i * 6 >= segs.length) return hideTip(p.tip);
    const r = segs.slice(i * 6 + 2, i * 6 + 6);
    outline(ctx, r, host.dark);
    const lines = segText(i);
    showTip(p.tip, lines, ...(at ?? [r[0] + r[2] / 2, r[1] + r[3]]));
    if (!at) keepInView(p.tip);
    p.main.setAttribute("aria-label", `Bytes per element. Selected: ${tipText(lines)}`);
  };

  p.main.addEventListener("pointermove", (e) => {
    const [x, y] = pointer(e, p.main);
    const hit = host.explorer.hitBars(x, y);
    let i = -1;
    for (let k = 0; hit.length && k < segs.length; k += 6)
      if (segs[k] === hit[0] && segs[k + 1] === hit[1]) i = k / 6;
    focus = i;
    show(i, [x, y]);
  });
  p.main.addEventListener("pointerleave", () => show((focus = -1)));
  p.main.addEventListener("keydown", (e) => {
    const count = segs.length / 6;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!step || !count) return;
    e.preventDefault();
    focus = focus < 0 ? 0 : (focus + step + count) % count;
    show(focus);
    p.summary.textContent = tipText(segText(focus));
  });
  p.main.addEventListener("blur", () => show((focus = -1)));

  return {
    section: p.section,
    canvases: [p.main],
    draw(width) {
      const s = host.state;
      const w = width || p.plot.clientWidth || 600;
      const h = 150;
      p.main.style.height = `${h}px`;
      p.plot.style.height = `${h}px`;
      p.main.cssSize = [w, h];
      rows = host.explorer.drawBars(p.main, w, h, window.devicePixelRatio || 1, s.accounting, host.dark);
      segs = Array.from(host.explorer.barSegments());
      focus = -1;
      overlayContext(p.overlay, p.main);
      const used = new Set();
      for (let k = 1; k < segs.length; k += 6) used.add(segs[k]);
      for (const [i, li] of legend.entries()) li.hidden = !used.has(i);
      const totals = rows.map(split).map(([label, per]) => `${label} ${(sum(per) / 100).toFixed(2)} B`);
      p.summary.textContent = `Bytes per element by ${ACC_LABEL[s.accounting]}: ${totals.join("; ")}.`;
      p.main.setAttribute("aria-label", `Bytes per element, stacked bars. ${p.summary.textContent}`);
      fillTable(
        p.table,
        `Bytes per element (${ACC_LABEL[s.accounting]}), n = ${formatCount(s.n)}`,
        ["scenario", ...SEGMENTS, "total", "total bytes"],
        rows
          .map(split)
          .map(([label, per, bytes]) => [
            label,
            ...per.map((v) => (v / 100).toFixed(2)),
            (sum(per) / 100).toFixed(2),
            formatCount(sum(bytes)),
          ]),
      );
    },
  };
}
