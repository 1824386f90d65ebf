// How the flame graph answers its reader, loaded on first use (flame.js hands the events over).
// A mouse hovers (a tooltip) and clicks to zoom; a tap selects a frame and shows its details in
// a box below the graph, out from under the finger, and a second tap or Zoom in zooms. The
// keyboard walks the frames (toward the parts the largest first), search dims what does not
// match and counts the bytes that do, and the zoom path zooms out to any ancestor.
import { el, hideTip, outline, overlayContext, pointer, showTip, tipText } from "../widget/kit.js";
import { ACC, ACC_LABEL, exactBytes, formatCount, labelledBytes } from "../widget/units.js";

/** The CPython struct member a frame is (a header field, ob_digit, ob_fval) or is reached by (ob_item). */
export function member({ kind, label }) {
  if (kind === "header" || (kind === "payload" && label.startsWith("ob_"))) return /^\w+/.exec(label)?.[0];
  return kind === "buffer" ? /\((\w+)\)$/.exec(label)?.[1] : undefined;
}

/**
 * Frames whose label holds `query` (any case), and their bytes under `acc` counted once: a match
 * inside another match is already in its bytes. The root (x itself, all of it) is not searched:
 * its label names the container and the element type, so "int" or "list" would always be 100%.
 */
export function search(nodes, query, acc) {
  const q = query.trim().toLowerCase();
  const hits = new Set();
  let bytes = 0;
  if (!q) return { hits, bytes };
  nodes.forEach(({ node, parent }, i) => parent >= 0 && node.label.toLowerCase().includes(q) && hits.add(i));
  for (const i of hits) {
    let a = nodes[i].parent;
    while (a >= 0 && !hits.has(a)) a = nodes[a].parent;
    if (a < 0) bytes += nodes[i].node[acc];
  }
  return { hits, bytes };
}

/** Wire the panel `p` (flame.js's ui and shared state st); returns the handlers flame.js calls. */
export function interact(host, p, ui, st) {
  const { details, crumbs, status, find } = ui;
  const lines = el("div");
  const zoomBtn = el("button", { type: "button", text: "Zoom in" });
  details.append(lines, zoomBtn);
  let found = search([], "", "");
  // Drawn frames' [x, y, w, h] in CSS pixels, asked of Rust once per draw, when first needed.
  let rects = null;

  const acc = () => ACC[host.state.accounting];
  const drawn = () =>
    (rects ??= new Map(Array.from(host.explorer.drawnFrames(), (i) => [i, host.explorer.frameRect(i)])));
  const bytes = (i) => st.nodes[i].node[acc()];
  /** The drawn part of frame i with the most bytes, or -1. */
  const largest = (i) =>
    st.nodes[i].kids.reduce((a, k) => (drawn().has(k) && (a < 0 || bytes(k) > bytes(a)) ? k : a), -1);
  const parentOf = (i) => Math.max(st.nodes[i].parent, 0);
  /** Zoom into frame i, or out to its parent when it is the zoomed frame already. */
  const zoomAt = (i) => ui.setZoom(i === st.zoom ? parentOf(i) : i);

  const info = (i) => {
    const { node } = st.nodes[i];
    const s = host.state;
    const a = acc();
    const total = st.nodes[0].node[a] || 1;
    const n = host.layout.elements.count;
    const mark = (k) => (k === s.accounting ? " ◂" : "");
    const m = member(node);
    return [
      `${node.label}${node.count > 1 ? ` × ${formatCount(node.count)}` : ""}`,
      `sys.getsizeof: ${exactBytes(node.getsizeof)}${mark("getsizeof")}`,
      `tracemalloc: ${exactBytes(node.requested)}${mark("tracemalloc")}`,
      `allocator: ${exactBytes(node.allocated)}${mark("allocator")}`,
      `${labelledBytes(node[a], s.units)}: ${((100 * node[a]) / total).toFixed(1)}% of the total${n ? `, ${(node[a] / n).toFixed(2)} B per element` : ""}`,
      m && `CPython struct member${node.kind === "buffer" ? " pointing here" : ""}: ${m}`,
      { note: node.explain },
    ].filter(Boolean);
  };

  /** The overlay: search matches outlined and the rest dimmed, then the focused frame outlined. */
  const paint = () => {
    const ctx = overlayContext(p.overlay, p.main);
    if (found.hits.size) {
      ctx.fillStyle = host.dark ? "rgba(22,24,29,.75)" : "rgba(255,255,255,.75)";
      ctx.strokeStyle = host.dark ? "#8cc4ff" : "#0a58a8";
      ctx.lineWidth = 2;
      for (const [i, [x, y, w, h]] of drawn())
        if (found.hits.has(i)) ctx.strokeRect(x + 1, y + 1, Math.max(0, w - 2), h - 2);
        else ctx.fillRect(x, y, w, h);
    }
    const r = drawn().get(st.focus);
    if (r?.length) outline(ctx, r, host.dark);
  };

  /** Show frame i: in the details box once a tap opened it, else in the tooltip at `at` or at the frame. */
  const highlight = (i, at) => {
    paint();
    if (i < 0) return hideTip(p.tip);
    const text = info(i);
    if (!details.hidden) {
      hideTip(p.tip);
      // The label in full: on a phone the frame shows "ob_refcn…".
      lines.replaceChildren(
        ...text.map((l, k) =>
          el(k ? "span" : "strong", l.note ? { class: "note", text: l.note } : { text: l }),
        ),
      );
      const out = i === st.zoom;
      zoomBtn.textContent = out ? "Zoom out" : "Zoom in";
      zoomBtn.disabled = out && !st.zoom;
    } else {
      const r = drawn().get(i);
      if (!r?.length) return hideTip(p.tip);
      const [x, y] = at ?? [r[0] + Math.min(r[2] / 2, 40), r[1] + r[3] / 2];
      showTip(p.tip, text, x, y);
    }
    p.main.setAttribute("aria-label", `Flame graph. Selected: ${tipText(text)}`);
  };

  /** Keyboard or tap: move to frame i, say it, and keep what describes it on screen. */
  const select = (i) => {
    st.focus = i;
    highlight(i);
    p.summary.textContent = tipText(info(i));
    (details.hidden ? p.tip : details).scrollIntoView?.({ block: "nearest" });
  };

  const findStatus = () => {
    const q = find.value.trim();
    const a = acc();
    found = search(st.nodes, q, a);
    const total = st.nodes[0]?.node[a] ?? 0;
    const n = found.hits.size;
    status.textContent = !q
      ? ""
      : n
        ? `${q}: ${exactBytes(found.bytes)}, ${((100 * found.bytes) / (total || 1)).toFixed(1)}% of ${exactBytes(total)} by ${ACC_LABEL[host.state.accounting]} (${n} ${n === 1 ? "frame" : "frames"})`
        : `${q}: no frame matches`;
  };

  zoomBtn.addEventListener("click", () => st.focus >= 0 && zoomAt(st.focus));

  return {
    pointerdown(e) {
      if ((e.pointerType === "touch") !== st.touch) ui.setTouch(e.pointerType === "touch");
    },
    pointermove(e) {
      if (e.pointerType === "touch") return;
      details.hidden = true;
      const [x, y] = pointer(e, p.main);
      const i = host.explorer.hitFlame(x, y);
      if (i !== st.focus || i >= 0) {
        st.focus = i;
        highlight(i, [x, y]);
      }
    },
    pointerleave(e) {
      if (e.pointerType === "touch" || !details.hidden) return;
      st.focus = -1;
      highlight(-1);
    },
    click(e) {
      const i = host.explorer.hitFlame(...pointer(e, p.main));
      // A mouse click zooms; a first tap selects (its details open below the graph), a second zooms.
      if (!st.touch) return i >= 0 && zoomAt(i);
      if (i >= 0 && i === st.focus && !details.hidden) return zoomAt(i);
      details.hidden = i < 0;
      if (i >= 0) return select(i);
      st.focus = -1;
      highlight(-1);
    },
    keydown(e) {
      if (!st.nodes.length) return;
      let next = st.focus < 0 ? st.zoom : st.focus;
      const me = st.nodes[next];
      const siblings = me.parent >= 0 ? st.nodes[me.parent].kids.filter((k) => drawn().has(k)) : [next];
      const at = siblings.indexOf(next);
      // Toward the parts is down in an icicle, up in a flame.
      const [parts, whole] = st.up ? ["ArrowUp", "ArrowDown"] : ["ArrowDown", "ArrowUp"];
      if (e.key === "ArrowRight") next = siblings[Math.min(at + 1, siblings.length - 1)] ?? next;
      else if (e.key === "ArrowLeft") next = siblings[Math.max(at - 1, 0)] ?? next;
      else if (e.key === whole) next = me.parent >= 0 ? me.parent : next;
      else if (e.key === parts) next = largest(next) < 0 ? next : largest(next);
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") while (largest(next) >= 0) next = largest(next);
      else if (e.key === "Enter" || e.key === " ") return ui.setZoom(next);
      else if (e.key === "Escape") return st.zoom && ui.setZoom(parentOf(st.zoom));
      else return;
      select(next);
    },
    focus() {
      // A tap or a click focuses the canvas too: only keyboard focus starts on the zoomed frame.
      if (st.focus < 0 && st.nodes.length && p.main.matches(":focus-visible")) select(st.zoom);
    },
    blur() {
      if (!details.hidden) return;
      st.focus = -1;
      highlight(-1);
    },
    input() {
      findStatus();
      paint();
    },
    /** After each draw: new geometry, the search's share, the zoom path, the focused frame. */
    drawn() {
      rects = null;
      findStatus();
      if (st.focus >= 0) highlight(st.focus);
      else paint();
      // The zoom path, root first; a click on one zooms out to it.
      const path = [];
      for (let i = st.zoom; i >= 0; i = st.nodes[i].parent) path.unshift(i);
      const key = path.map((i) => st.nodes[i].node.label).join("\n");
      if (key === crumbs.key) return;
      crumbs.key = key;
      const kept = crumbs.matches(":focus-within");
      crumbs.replaceChildren(
        ...path.flatMap((i, k) => [
          k ? el("span", { "aria-hidden": "true", text: "›" }) : "",
          el("button", {
            type: "button",
            text: st.nodes[i].node.label,
            "aria-current": i === st.zoom && "location",
            onclick: () => ui.setZoom(i),
          }),
        ]),
      );
      if (kept) crumbs.lastChild.focus();
      // The end of the path in view (on a phone the path is wider than the panel).
      if (path.length > 1) crumbs.scrollLeft = crumbs.scrollWidth;
    },
  };
}
