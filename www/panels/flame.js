// The allocation flame graph panel: drawn by Rust (Explorer.drawFlame) as an icicle or a flame,
// with its spoken summary and data table. What answers the reader (hover, tap, keyboard, search,
// the zoom path) is in flame-interact.js, loaded once the browser is idle after the first render,
// or as soon as the reader reaches for the panel; events that come before it are handed over.
import { el, fillTable, overlayContext, panel } from "../widget/kit.js";
import { ACC, ACC_LABEL, formatBytes, formatCount } from "../widget/units.js";

const PARTS = "Each frame is an allocation or a part of one, as wide as its bytes.";
const HOVER = `${PARTS} Hover, or use the arrow keys (to the parts, the largest first; Home: the whole; End: down the largest parts to the last); click or Enter to zoom in, Escape to zoom out.`;
const TAP = `${PARTS} Tap a frame for its details below the graph; tap it again or press Zoom in to zoom; tap the zoom path to zoom out.`;
// Keys the graph answers: the page must not scroll on them (End least of all).
const KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "Enter", " "];

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
  const p = panel("flame", "Where the bytes go", HOVER, () => ({
    scenario: host.scenario(),
    accounting: host.state.accounting,
    units: host.state.units,
  }));
  const reset = el("button", { type: "button", text: "Reset zoom", disabled: true });
  const flip = el("button", { type: "button", text: "Flame: root at the bottom", "aria-pressed": "false" });
  const find = el("input", {
    type: "search",
    placeholder: "ob_refcnt, slots…",
    autocomplete: "off",
    maxLength: 80,
  });
  p.toolbar.prepend(reset, flip);
  p.toolbar.append(el("label", { class: "find" }, "Search ", find));
  const lede = p.section.querySelector(".lede");
  // Empty until used; the zoom path keeps its room so the graph does not move when it fills.
  const ui = {
    find,
    lede,
    status: el("p", { class: "find-status", role: "status" }),
    crumbs: el("div", { class: "crumbs", role: "group", "aria-label": "Zoom path" }),
    details: el("div", { class: "details", hidden: true }),
    setZoom(z) {
      st.zoom = z;
      reset.disabled = z === 0;
      host.invalidate("flame");
    },
    setTouch(t) {
      st.touch = t;
      if (lede) lede.textContent = t ? TAP : HOVER;
    },
  };
  p.plot.before(ui.status, ui.crumbs);
  p.plot.after(ui.details);
  p.main.setAttribute("aria-roledescription", "flame graph");
  /** What the panel and its interaction share: node indices are preorder, as Rust's frames. */
  const st = { nodes: [], zoom: 0, focus: -1, up: false, touch: false };
  ui.setTouch(!!window.matchMedia?.("(pointer: coarse)").matches);

  let handlers = null;
  let loading = null;
  const load = () =>
    (loading ??= import("./flame-interact.js").then(
      (m) => {
        handlers = m.interact(host, p, ui, st);
        host.invalidate("flame");
        return handlers;
      },
      // Offline, or a deploy replaced the chunk: the graph and its table still work.
      () => {
        ui.status.textContent = "Hover, tap and search could not load: reload the page to use them.";
        return null;
      },
    ));
  p.section.addEventListener("pointerover", load);
  p.section.addEventListener("focusin", load);
  for (const type of ["pointerdown", "pointermove", "pointerleave", "click", "keydown", "focus", "blur"])
    p.main.addEventListener(type, (e) => {
      if (type === "keydown" && (KEYS.includes(e.key) || (e.key === "Escape" && st.zoom))) e.preventDefault();
      if (handlers) handlers[type](e);
      else load().then((h) => h?.[type](e));
    });
  find.addEventListener("input", () => load().then((h) => h?.input()));
  reset.addEventListener("click", () => ui.setZoom(0));
  flip.addEventListener("click", () => {
    st.up = !st.up;
    flip.setAttribute("aria-pressed", String(st.up));
    host.invalidate("flame");
  });

  return {
    section: p.section,
    canvases: [p.main],
    /** New layout: forget focus (node indices change); keep the zoom while its index exists. */
    setLayout(layout) {
      st.nodes = flatten(layout.tree);
      if (st.zoom >= st.nodes.length) st.zoom = 0;
      st.focus = -1;
      ui.details.hidden = true;
      reset.disabled = st.zoom === 0;
    },
    draw(width) {
      const s = host.state;
      const w = width || p.plot.clientWidth || 600;
      const heightCss = host.explorer.drawFlame(
        p.main,
        w,
        window.devicePixelRatio || 1,
        s.accounting,
        s.units,
        st.zoom,
        host.dark,
        st.up,
      );
      p.main.style.height = `${heightCss}px`;
      p.plot.style.height = `${heightCss}px`;
      p.main.cssSize = [w, heightCss];
      if (handlers) handlers.drawn();
      else {
        overlayContext(p.overlay, p.main);
        if (!loading) window.requestIdleCallback?.(load, { timeout: 3000 }) ?? setTimeout(load, 500);
      }
      const acc = ACC[s.accounting];
      const root = st.nodes[0]?.node;
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
        st.nodes.map(({ node, depth }) => [
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
