// The allocation flame graph panel: drawn by Rust (Explorer.drawFlame), hovered and navigated
// here. Hover or keyboard focus shows a frame's bytes under all three accountings, its share,
// count, bytes per element and its one-sentence explanation. Click or Enter zooms; Escape or
// Reset zooms out.
import {
  el,
  fillTable,
  hideTip,
  outline,
  overlayContext,
  panel,
  pointer,
  showTip,
  tipText,
} from "../widget/kit.js";
import { ACC, ACC_LABEL, exactBytes, formatBytes, formatCount, labelledBytes } from "../widget/units.js";

/** Nodes in preorder with depth and parent index: the indices Rust's frames use. */
export function flatten(tree) {
  const out = [];
  const go = (node, depth, parent) => {
    const i = out.length;
    out.push({ node, depth, parent, kids: [] });
    if (parent >= 0) out[parent].kids.push(i);
    for (const c of node.children) go(c, depth + 1, i);
  };
  go(tree, 0, -1);
  return out;
}

export function flamePanel(host) {
  const p = panel(
    "flame",
    "Where the bytes go",
    "Each frame is an allocation or a part of one, as wide as its bytes. Hover or use the arrow keys; click or Enter to zoom in, Escape to zoom out.",
    () => ({ scenario: host.scenario(), accounting: host.state.accounting, units: host.state.units }),
  );
  const reset = el("button", { type: "button", text: "Reset zoom", disabled: true });
  p.toolbar.prepend(reset);
  p.main.setAttribute("aria-roledescription", "flame graph");
  let nodes = [];
  let zoom = 0;
  let focus = -1;
  let heightCss = 0;

  const info = (i) => {
    const { node } = nodes[i];
    const s = host.state;
    const acc = ACC[s.accounting];
    const total = nodes[0].node[acc] || 1;
    const n = host.layout.elements.count;
    const mark = (k) => (k === s.accounting ? " ◂" : "");
    return [
      `${node.label}${node.count > 1 ? ` × ${formatCount(node.count)}` : ""}`,
      `sys.getsizeof: ${exactBytes(node.getsizeof)}${mark("getsizeof")}`,
      `tracemalloc: ${exactBytes(node.requested)}${mark("tracemalloc")}`,
      `allocator: ${exactBytes(node.allocated)}${mark("allocator")}`,
      `${labelledBytes(node[acc], s.units)}: ${((100 * node[acc]) / total).toFixed(1)}% of the total${n ? `, ${(node[acc] / n).toFixed(2)} B per element` : ""}`,
      { note: node.explain },
    ];
  };

  const highlight = (i, at) => {
    const ctx = overlayContext(p.overlay, p.main);
    if (i < 0) {
      hideTip(p.tip);
      return;
    }
    const r = host.explorer.frameRect(i);
    if (!r.length) return;
    outline(ctx, r, host.dark);
    const [x, y] = at ?? [r[0] + Math.min(r[2] / 2, 40), r[1] + r[3] / 2];
    const lines = info(i);
    showTip(p.tip, lines, x, y);
    p.main.setAttribute("aria-label", `Flame graph. Selected: ${tipText(lines)}`);
  };

  const setZoom = (z) => {
    zoom = z;
    reset.disabled = z === 0;
    host.invalidate("flame");
  };

  p.main.addEventListener("pointermove", (e) => {
    const [x, y] = pointer(e, p.main);
    const i = host.explorer.hitFlame(x, y);
    if (i !== focus || i >= 0) {
      focus = i;
      highlight(i, [x, y]);
    }
  });
  p.main.addEventListener("pointerleave", () => {
    focus = -1;
    highlight(-1);
  });
  p.main.addEventListener("click", (e) => {
    const [x, y] = pointer(e, p.main);
    const i = host.explorer.hitFlame(x, y);
    if (i >= 0) setZoom(i === zoom ? (nodes[i].parent >= 0 ? nodes[i].parent : 0) : i);
  });
  p.main.addEventListener("keydown", (e) => {
    if (!nodes.length) return;
    const drawn = new Set(host.explorer.drawnFrames());
    let next = focus < 0 ? zoom : focus;
    const me = nodes[next];
    const siblings = me.parent >= 0 ? nodes[me.parent].kids.filter((k) => drawn.has(k)) : [next];
    const at = siblings.indexOf(next);
    if (e.key === "ArrowRight") next = siblings[Math.min(at + 1, siblings.length - 1)] ?? next;
    else if (e.key === "ArrowLeft") next = siblings[Math.max(at - 1, 0)] ?? next;
    else if (e.key === "ArrowUp") next = me.parent >= 0 ? me.parent : next;
    else if (e.key === "ArrowDown") next = me.kids.find((k) => drawn.has(k)) ?? next;
    else if (e.key === "Enter" || e.key === " ") return (e.preventDefault(), setZoom(next));
    else if (e.key === "Escape") {
      if (zoom === 0) return;
      e.preventDefault();
      return setZoom(nodes[zoom].parent >= 0 ? nodes[zoom].parent : 0);
    } else if (e.key === "Home") next = 0;
    else return;
    e.preventDefault();
    focus = next;
    highlight(focus);
    p.summary.textContent = tipText(info(focus));
  });
  p.main.addEventListener("focus", () => {
    if (focus < 0 && nodes.length) {
      focus = zoom;
      highlight(focus);
    }
  });
  p.main.addEventListener("blur", () => {
    focus = -1;
    highlight(-1);
  });
  reset.addEventListener("click", () => setZoom(0));

  return {
    section: p.section,
    canvases: [p.main],
    /** New layout: forget zoom and focus (node indices change). */
    setLayout(layout) {
      nodes = flatten(layout.tree);
      if (zoom >= nodes.length) zoom = 0;
      focus = -1;
      reset.disabled = zoom === 0;
    },
    draw(width) {
      const s = host.state;
      const w = width || p.plot.clientWidth || 600;
      heightCss = host.explorer.drawFlame(
        p.main,
        w,
        window.devicePixelRatio || 1,
        s.accounting,
        s.units,
        zoom,
        host.dark,
      );
      p.main.style.height = `${heightCss}px`;
      p.plot.style.height = `${heightCss}px`;
      p.main.cssSize = [w, heightCss];
      if (focus >= 0) highlight(focus);
      else overlayContext(p.overlay, p.main);
      const acc = ACC[s.accounting];
      const root = nodes[0]?.node;
      if (!root) return;
      const top = root.children
        .map((c) => c)
        .sort((a, b) => b[acc] - a[acc])
        .slice(0, 3)
        .map(
          (c) =>
            `${c.label} ${formatBytes(c[acc], s.units)} (${((100 * c[acc]) / (root[acc] || 1)).toFixed(0)}%)`,
        );
      p.summary.textContent = `${root.label}: ${formatBytes(root[acc], s.units)} by ${ACC_LABEL[s.accounting]}. Largest parts: ${top.join("; ")}.`;
      p.main.setAttribute("aria-label", `Flame graph of ${root.label}. ${p.summary.textContent}`);
      fillTable(
        p.table,
        `Allocation tree of ${root.label} (bytes)`,
        ["part", "count", "sys.getsizeof", "tracemalloc", "allocator", `% (${ACC_LABEL[s.accounting]})`],
        nodes.map(({ node, depth }) => [
          `${"  ".repeat(depth)}${node.label}`,
          formatCount(node.count),
          formatCount(node.getsizeof),
          formatCount(node.requested),
          formatCount(node.allocated),
          `${((100 * node[acc]) / (root[acc] || 1)).toFixed(1)}%`,
        ]),
      );
    },
  };
}
