// The object diagram (loaded on demand by diagram-panel.js): Python Tutor's boxes and arrows,
// with bytes. Rust's diagram() says what the boxes and fields are; this draws them as DOM boxes
// with SVG arrows, one tab stop (arrow keys move between fields, Enter follows a pointer), a
// tooltip and a status line for hover, focus and tap, and a table with the same facts.
import { dataTable, el } from "../widget/kit.js";
import { exactBytes, formatCount } from "../widget/units.js";

const SVG = "http://www.w3.org/2000/svg";

/** Byte-scale of the element strips, CSS px per byte. */
const PX_PER_BYTE = 8;

const SHORT = {
  ob_refcnt: "refcnt",
  ob_type: "type",
  ob_size: "size",
  lv_tag: "lv_tag",
  ob_fval: "ob_fval",
  "struct padding": "pad",
  "unused digit": "unused",
  "pymalloc size-class rounding": "round",
  "malloc chunk header + alignment": "chunk",
  "GC header": "GC",
  ob_hash: "hash",
};

/** What each kind of bytes counts as, under the three accountings. */
const KIND_NOTE = {
  gc: "The cyclic GC's header in front of the object: counted by sys.getsizeof, tracemalloc and the allocator.",
  header: "Counted by sys.getsizeof, tracemalloc and the allocator.",
  slots: "A pointer to an element object. Counted by all three accountings.",
  slack: "A spare slot, allocated for growth and not in use: counted by all three accountings.",
  payload: "The value itself. Counted by all three accountings.",
  padding: "Requested but unused: tracemalloc and the allocator count it, sys.getsizeof does not.",
  rounding: "Added by the allocator on top of the request: only the allocator's accounting counts it.",
  metadata: "Counted by sys.getsizeof; not a new allocation, so tracemalloc and the allocator see nothing.",
};

const CSS = `
.diagram-status { margin: .2em 0 .5em; font-size: .88em; min-height: 2.6em; }
.diagram-status b { font-variant-numeric: tabular-nums; }
.diagram-scroll { overflow-x: auto; padding-bottom: 4px; }
.diagram-canvas { position: relative; display: flex; gap: 44px; align-items: flex-start; width: max-content; padding: 4px 8px 8px 2px; }
.diagram-col { display: flex; flex-direction: column; gap: 10px; position: relative; z-index: 1; }
.diagram svg.arrows { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; z-index: 2; color: var(--muted); }
.obj { border: 1.5px solid var(--fg); border-radius: 6px; background: var(--bg); padding: 4px 6px 6px; font-size: .8em; min-width: 11em; max-width: 17em; }
.obj[data-role=element], .obj[data-role=shared] { max-width: none; }
.strip .nm { overflow: hidden; text-overflow: ellipsis; }
.diagram-wide { color: var(--muted); font-size: .85em; margin: 0 0 .3em; }
.obj[data-role=shared] { border-style: dashed; border-color: var(--muted); }
.obj[data-role=meta] { border-style: dotted; }
.obj-title { font-weight: 600; margin-bottom: 3px; }
.obj-title span { display: block; }
.obj-title .b { font-weight: 400; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.obj .badge { display: block; color: var(--muted); font-size: .92em; margin: -1px 0 3px; }
.obj .rows { display: flex; flex-direction: column; }
.fld { display: flex; justify-content: space-between; gap: 10px; padding: 1px 5px; border: 1px solid var(--line); margin-top: -1px; cursor: default;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .95em; background: var(--k, transparent); color: var(--fg); }
.fld .sz { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.fld[data-kind=slack] { border-style: dashed; background: transparent; color: var(--muted); }
.fld:focus-visible, .fld.on { outline: 2px solid var(--accent); outline-offset: -2px; position: relative; z-index: 1; }
.obj .rows.strip { flex-direction: row; height: 2.1em; }
.strip .fld { flex: none; justify-content: center; align-items: center; padding: 0; margin: 0 0 0 -1px; overflow: hidden; white-space: nowrap; font-size: .8em; }
.strip .fld:first-child { margin-left: 0; }
.obj .axis { display: flex; justify-content: space-between; color: var(--muted); font-size: .85em; font-variant-numeric: tabular-nums; }
.diagram { --k-gc: #e9e1f7; --k-header: #dcebf9; --k-slots: #d8f1e2; --k-payload: #fbe8c8; --k-padding: #ececec; --k-rounding: #f5dede; --k-metadata: #e6eef0; }
.bvp[data-theme=dark] .diagram { --k-gc: #3a3152; --k-header: #1f3a56; --k-slots: #1d4431; --k-payload: #4d3a14; --k-padding: #353a41; --k-rounding: #4d2c2c; --k-metadata: #2b3a3e; }
.fld[data-kind=gc] { --k: var(--k-gc); } .fld[data-kind=header] { --k: var(--k-header); } .fld[data-kind=slots] { --k: var(--k-slots); }
.fld[data-kind=payload] { --k: var(--k-payload); } .fld[data-kind=padding] { --k: var(--k-padding); } .fld[data-kind=rounding] { --k: var(--k-rounding); }
.fld[data-kind=metadata] { --k: var(--k-metadata); }
.diagram .tip { max-width: 24em; }
.diagram-table { margin-top: .5em; }
.diagram-var { font: 600 1em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1.5px solid var(--fg); border-radius: 4px; padding: 2px 10px; margin-top: 2px; background: var(--soft); }
.diagram-limit { margin: .2em 0 .6em; font-weight: 600; }
`;

let sheet = null;

/** The diagram's rules join the widget's sheet when this chunk loads (not in the first bundle). */
function adoptStyles(host) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  const root = host.shadowRoot;
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

const bytesText = (b) => (b === 1 ? "1 byte" : `${b} bytes`);
const short = (name) =>
  SHORT[name] ??
  (name === "ob_digit[1]" ? "digit" : name.startsWith("ob_digit") ? name.replace("ob_", "") : name);

/** The figures of a box: "64 B allocated (56 by getsizeof)". */
function boxBytes(o) {
  if (o.role === "shared") return `${o.getsizeof} B, not new`;
  if (o.role === "meta") return `${o.getsizeof} B, getsizeof only`;
  const parts = [`${o.allocated} B`];
  if (o.getsizeof !== o.allocated) parts.push(`${o.getsizeof} by getsizeof`);
  return parts.join(", ");
}

function boxSpoken(o) {
  const what =
    o.role === "shared"
      ? `${o.label}, shared: it existed before x, ${bytesText(o.getsizeof)} by sys.getsizeof, no new bytes`
      : o.role === "meta"
        ? `${o.label}, ${bytesText(o.getsizeof)} by sys.getsizeof, not a new allocation`
        : `${o.label}: ${bytesText(o.allocated)} allocated, ${bytesText(o.requested)} requested, ${bytesText(o.getsizeof)} by sys.getsizeof`;
  return o.refs > 1 ? `${what}; ${o.refs} pointers point at it` : what;
}

/** The limit note past maxN elements. */
const limitText = (d) =>
  `The diagram draws up to ${d.maxN} elements; n = ${formatCount(d.n)} is summarised in the other panels. Here is the container object itself, the same at any n; try n = 5 to see every object.`;

export function drawDiagram(host, body) {
  adoptStyles(host);
  const scenario = host.scenario();
  // Past the limit only n's text changes with n: a slider step there rebuilds nothing. (A theme
  // or width change needs nothing either: colours are CSS, and the diagram has its own width.)
  // The widget's font size changes on narrow screens (a container query): the boxes and arrows
  // are then redrawn.
  const key = JSON.stringify({
    ...scenario,
    n: scenario.n > (body.diagramMax ?? 12) ? "past" : scenario.n,
    font: getComputedStyle(body).fontSize,
  });
  if (body.diagramKey === key && body.diagramRefresh) return body.diagramRefresh(scenario.n);
  const d = host.api.diagram(scenario);
  body.diagramKey = key;
  body.diagramMax = d.maxN;
  const state = (body.diagramState ??= { table: false, focus: 0 });
  const fields = []; // flat, in reading order: { f, o, oi, node }
  const boxes = [];
  const status = el("p", {
    class: "diagram-status",
    "aria-live": "polite",
    text: "Hover, tap or focus a field to see its bytes and its C struct member.",
  });
  const tip = el("div", { class: "tip", role: "tooltip", hidden: true });

  const describe = (i) => {
    const { f, o } = fields[i];
    const lines = [
      `${f.name}${f.value !== null ? ` = ${f.value}` : ""}`,
      `${bytesText(f.size)} at offset ${f.offset} of ${o.label}`,
      f.member ? `${f.member} (${f.source})` : "",
    ];
    if (f.target !== null) lines.push(`points at ${d.objects[f.target].label}`);
    return [lines.filter(Boolean), o.role === "shared" ? o.note : KIND_NOTE[f.kind]];
  };

  const canvas = el("div", { class: "diagram-canvas" });
  const scroll = el("div", { class: "diagram-scroll" }, canvas);
  const show = (i, { move = false } = {}) => {
    const [lines, note] = describe(i);
    status.replaceChildren(el("b", { text: lines[0] }), ` — ${lines.slice(1).join(" · ")}`);
    tip.replaceChildren(
      el("strong", { text: lines[0] }),
      ...lines.slice(1).map((t) => el("span", { text: t })),
      el("span", { class: "note", text: note }),
    );
    tip.hidden = false;
    for (const x of canvas.querySelectorAll(".fld.on")) x.classList.remove("on");
    const node = fields[i].node;
    node.classList.add("on");
    // Beside the field, inside the canvas (which scrolls with it), within the part of it shown.
    const c = canvas.getBoundingClientRect();
    const r = node.getBoundingClientRect();
    const view = scroll.getBoundingClientRect();
    tip.style.maxWidth = `${Math.max(160, Math.min(view.width - 8, 380))}px`;
    const right = Math.min(c.width, view.right - c.left) - tip.offsetWidth;
    const left = Math.max(Math.max(0, view.left - c.left), Math.min(r.left - c.left, right));
    const below = r.bottom - c.top + 4;
    const top =
      below + tip.offsetHeight > c.height && r.top - c.top > tip.offsetHeight + 4
        ? r.top - c.top - tip.offsetHeight - 4
        : below;
    tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
    if (move) {
      for (const x of fields) x.node.tabIndex = -1;
      node.tabIndex = 0;
      state.focus = i;
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "auto" });
    }
  };
  const hide = () => {
    tip.hidden = true;
    for (const x of canvas.querySelectorAll(".fld.on")) x.classList.remove("on");
  };

  const fieldNode = (f, o, oi, strip) => {
    const i = fields.length;
    const spoken = `${f.name}${f.value !== null ? ` = ${f.value}` : ""}: ${bytesText(f.size)} at offset ${f.offset}${f.member ? `, ${f.member}` : ""}${f.target !== null ? `, points at ${d.objects[f.target].label}` : ""}`;
    const node = el(
      "div",
      {
        class: "fld",
        "data-kind": f.kind,
        "data-size": f.size,
        "data-i": i,
        tabIndex: -1,
        role: "listitem",
        "aria-label": spoken,
      },
      el("span", {
        class: "nm",
        text: strip ? short(f.name) : f.value !== null ? `${f.name} ${f.value}` : f.name,
      }),
      strip ? null : el("span", { class: "sz", text: `${f.size} B` }),
    );
    if (strip) node.style.width = `${f.size * PX_PER_BYTE}px`;
    fields.push({ f, o, oi, node });
    return node;
  };

  const objects = d.objects.map((o, oi) => {
    const strip =
      o.role === "element" || o.role === "shared"
        ? o.fields.length > 0 && o.label !== "the empty tuple (shared)"
        : false;
    const rows = el(
      "div",
      { class: strip ? "rows strip" : "rows", role: "list", "aria-label": `fields of ${o.label}` },
      ...o.fields.map((f) => fieldNode(f, o, oi, strip)),
    );
    const badge =
      o.role === "shared"
        ? el("span", {
            class: "badge",
            text: `${sharedWhat(o)}: existed before x${o.refs > 1 ? ` · ${o.refs} arrows` : ""}`,
          })
        : o.refs > 1
          ? el("span", { class: "badge", text: `${o.refs} arrows` })
          : null;
    const total = o.fields.reduce((a, f) => a + f.size, 0);
    const box = el(
      "div",
      { class: "obj", "data-role": o.role, "data-box": oi, role: "group", "aria-label": boxSpoken(o) },
      el(
        "div",
        { class: "obj-title" },
        el("span", { text: o.label }),
        el("span", { class: "b", text: boxBytes(o) }),
      ),
      badge,
      rows,
      strip
        ? el(
            "div",
            { class: "axis", "aria-hidden": "true" },
            el("span", { text: "0" }),
            el("span", { text: String(total) }),
          )
        : null,
    );
    boxes.push(box);
    return box;
  });

  // Columns: the container (and its bookkeeping), its separate buffer, the element objects.
  const col = (roles) =>
    el("div", { class: "diagram-col" }, ...objects.filter((_, i) => roles.includes(d.objects[i].role)));
  const sharedTuple = d.objects.some((o) => o.role === "shared" && o.label.includes("tuple"));
  const first = col(sharedTuple ? ["container", "meta", "shared"] : ["container", "meta"]);
  const second = col(["buffer"]);
  const third = sharedTuple ? el("div") : col(["element", "shared"]);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "arrows");
  svg.setAttribute("aria-hidden", "true");
  // The name x, as Python Tutor draws a variable: a label with an arrow to its object.
  const name = el(
    "div",
    { class: "diagram-var" },
    "x",
    el("span", { class: "sr", text: ` refers to the ${d.objects[0].label}` }),
  );
  canvas.replaceChildren(
    el("div", { class: "diagram-col" }, name),
    first,
    second.childElementCount ? second : "",
    third.childElementCount ? third : "",
    svg,
    tip,
  );

  // One tab stop: the field focused last (or the first).
  if (fields.length) fields[Math.min(state.focus, fields.length - 1)].node.tabIndex = 0;

  canvas.addEventListener("pointerover", (e) => {
    const node = e.target.closest?.(".fld");
    if (node) show(Number(node.dataset.i));
  });
  canvas.addEventListener("pointerleave", () => {
    if (!canvas.contains(host.shadowRoot.activeElement)) hide();
  });
  canvas.addEventListener("click", (e) => {
    const node = e.target.closest?.(".fld");
    if (node) show(Number(node.dataset.i), { move: true });
    else hide();
  });
  canvas.addEventListener("focusin", (e) => {
    const node = e.target.closest?.(".fld");
    if (node) show(Number(node.dataset.i));
  });
  canvas.addEventListener("focusout", (e) => {
    if (!canvas.contains(e.relatedTarget)) hide();
  });
  canvas.addEventListener("keydown", (e) => {
    const node = e.target.closest?.(".fld");
    if (!node) return;
    const i = Number(node.dataset.i);
    const to = {
      ArrowDown: i + 1,
      ArrowRight: i + 1,
      ArrowUp: i - 1,
      ArrowLeft: i - 1,
      Home: 0,
      End: fields.length - 1,
    }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      show(Math.max(0, Math.min(fields.length - 1, to)), { move: true });
    } else if (e.key === "Enter" && fields[i].f.target !== null) {
      // Follow the pointer: to the first field of the box it points at.
      e.preventDefault();
      const j = fields.findIndex((x) => x.oi === fields[i].f.target);
      if (j >= 0) show(j, { move: true });
    } else if (e.key === "Escape") hide();
  });

  const limit = d.complete ? null : el("p", { class: "diagram-limit", text: limitText(d) });
  const tableBtn = el("button", {
    type: "button",
    text: state.table ? "Show the diagram" : "Show as a table",
    "aria-pressed": String(state.table),
  });
  const table = el("div", { class: "table-wrap diagram-table", hidden: !state.table });
  const buildTable = () => {
    const rows = [];
    d.objects.forEach((o) => {
      for (const f of o.fields)
        rows.push([
          `${o.label}${o.role === "shared" ? " (shared)" : ""}`,
          f.name,
          f.member,
          String(f.offset),
          exactBytes(f.size),
          f.target !== null ? `→ ${d.objects[f.target].label}` : (f.value ?? ""),
        ]);
    });
    table.replaceChildren(
      dataTable(
        `Every field of the diagram, n = ${formatCount(d.n)}: ${summary(d)}`,
        ["object", "field", "C struct member", "offset", "bytes", "points at / value"],
        rows,
      ),
    );
  };
  if (state.table) buildTable();
  const sentence = el("p", { class: "sr", text: summary(d) });
  body.diagramRefresh = (n) => {
    d.n = n;
    sentence.textContent = summary(d);
    if (limit) limit.textContent = limitText(d);
    if (state.table) buildTable();
  };
  tableBtn.addEventListener("click", () => {
    state.table = !state.table;
    table.hidden = !state.table;
    scroll.hidden = state.table;
    status.hidden = state.table;
    if (state.table) buildTable();
    tableBtn.textContent = state.table ? "Show the diagram" : "Show as a table";
    tableBtn.setAttribute("aria-pressed", String(state.table));
  });
  scroll.hidden = state.table;
  status.hidden = state.table;
  body.replaceChildren(
    limit ?? "",
    el("div", { class: "toolbar" }, tableBtn),
    sentence,
    status,
    scroll,
    table,
  );
  if (!state.table) {
    // Drawn while hidden (the classroom holds the explorer back), the boxes have no geometry for
    // the arrows: forget the key, so the redraw when the widget is shown again lays them out.
    if (!body.getClientRects().length) body.diagramKey = undefined;
    drawArrows(d, canvas, svg, boxes, [{ f: { target: 0 }, node: name }, ...fields]);
    // On a narrow screen the diagram scrolls inside the panel: say so.
    if (scroll.scrollWidth > scroll.clientWidth + 2)
      scroll.before(
        el("p", { class: "diagram-wide", text: "Wider than the panel: scroll sideways inside the diagram." }),
      );
  }
}

/** What a shared object is, from its note: "small-int cache (-5 to 256)", "a constant". */
function sharedWhat(o) {
  const cache = /small-int cache \((-?\d+) to (\d+)\)/.exec(o.note);
  if (cache) return `small-int cache ${cache[1]} … ${cache[2]}`;
  if (o.note.startsWith("A constant")) return "a constant of the code";
  if (o.note.startsWith("range()")) return "range()'s own start object";
  if (o.note.startsWith("An object of the list src")) return "an object of the list src";
  return "shared";
}

/** One sentence: what is drawn, in numbers a reader can check against the other panels. */
function summary(d) {
  const count = (role) => d.objects.filter((o) => o.role === role).length;
  const elems = count("element");
  const shared = d.objects.filter((o) => o.role === "shared" && !o.label.includes("tuple")).length;
  const mine = d.objects
    .filter((o) => o.role !== "element" && !(o.role === "shared" && !o.label.includes("tuple")))
    .reduce((a, o) => a + o.allocated, 0);
  const made = d.objects.filter((o) => o.role === "element").reduce((a, o) => a + o.allocated, 0);
  if (!d.complete) return `the container object only (n = ${formatCount(d.n)} is past ${d.maxN}).`;
  const parts = [`the container's blocks, ${exactBytes(mine)} allocated`];
  if (elems)
    parts.push(`${elems} new element object${elems === 1 ? "" : "s"}, ${exactBytes(made)} allocated`);
  if (shared)
    parts.push(`${shared} shared object${shared === 1 ? "" : "s"} that existed before (no new bytes)`);
  return `${parts.join("; ")}.`;
}

/** Arrows from each pointer field to the box it points at, measured from the drawn boxes. */
function drawArrows(d, canvas, svg, boxes, fields) {
  const c = canvas.getBoundingClientRect();
  svg.setAttribute("width", String(Math.ceil(c.width)));
  svg.setAttribute("height", String(Math.ceil(c.height)));
  const defs = document.createElementNS(SVG, "defs");
  const marker = document.createElementNS(SVG, "marker");
  const id = `bvp-arrow-${Math.random().toString(36).slice(2, 8)}`;
  for (const [k, v] of Object.entries({
    id,
    viewBox: "0 0 8 8",
    refX: "7",
    refY: "4",
    markerWidth: "7",
    markerHeight: "7",
    orient: "auto-start-reverse",
  }))
    marker.setAttribute(k, v);
  const head = document.createElementNS(SVG, "path");
  head.setAttribute("d", "M0,0 L8,4 L0,8 z");
  head.setAttribute("fill", "currentColor");
  marker.append(head);
  defs.append(marker);
  svg.replaceChildren(defs);
  const rects = boxes.map((b) => b.getBoundingClientRect());
  for (const { f, node } of fields) {
    if (f.target === null) continue;
    const r = node.getBoundingClientRect();
    const t = rects[f.target];
    const x1 = r.right - c.left - 3;
    const y1 = r.top + r.height / 2 - c.top;
    const x2 = t.left - c.left - 1;
    const y2 = Math.min(t.top + 12, t.bottom - 6) - c.top;
    const dx = Math.max(24, (x2 - x1) / 2);
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", d.objects[f.target].role === "shared" ? "1.6" : "1.3");
    path.setAttribute("marker-end", `url(#${id})`);
    if (node.dataset.i !== undefined) path.dataset.from = node.dataset.i;
    path.dataset.to = String(f.target);
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", String(x1));
    dot.setAttribute("cy", String(y1));
    dot.setAttribute("r", "2.5");
    dot.setAttribute("fill", "currentColor");
    svg.append(path, dot);
  }
}
