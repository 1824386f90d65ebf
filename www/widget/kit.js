// Small DOM pieces the panels share: element creation (text only, never HTML), a panel with a
// toolbar, a data table that can be shown instead of the chart, a tooltip that follows the
// pointer or the keyboard, and an overlay canvas for highlights.

/** Create an element; props set properties (or attributes for aria-*, data-*, role). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("aria-") || k.startsWith("data-") || k === "role" || k === "for")
      node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** A colour key square (CSSOM style, which a strict CSP allows). */
export function swatch(color) {
  const s = el("span", { class: "swatch", "aria-hidden": "true" });
  s.style.background = color;
  return s;
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

/**
 * A chart panel: heading, toolbar, a canvas with an overlay, a tooltip, a live summary for
 * screen readers, and a data table toggled in place of the chart.
 */
export function panel(kind, title, lede, meta = () => ({})) {
  const id = nextId(kind);
  const main = el("canvas", { class: "main", role: "img", tabIndex: 0, "aria-describedby": `${id}-summary` });
  const overlay = el("canvas", { class: "overlay", "aria-hidden": "true" });
  const tip = el("div", { class: "tip", role: "tooltip", id: `${id}-tip`, hidden: true });
  const summary = el("p", { class: "sr", id: `${id}-summary`, "aria-live": "polite" });
  // It scrolls (wide or long tables), so it takes focus: keyboard users can scroll it too.
  const table = el("div", {
    class: "table-wrap",
    hidden: true,
    tabIndex: 0,
    role: "region",
    "aria-label": `${title}: the numbers as a table`,
  });
  const tableBtn = el("button", { type: "button", text: "Show table", "aria-pressed": "false" });
  const png = el("button", { type: "button", text: "PNG", "aria-label": `Download ${title} as PNG` });
  const csv = el("button", {
    type: "button",
    text: "CSV",
    "aria-label": `Download the numbers of ${title} as CSV`,
  });
  const json = el("button", {
    type: "button",
    text: "JSON",
    "aria-label": `Download the numbers of ${title} as JSON`,
  });
  const toolbar = el("div", { class: "toolbar" }, tableBtn, png, csv, json);
  png.addEventListener("click", () => main.toBlob((b) => b && download(`boxed-vs-packed-${kind}.png`, b)));
  csv.addEventListener("click", () => {
    const d = table.data;
    if (d)
      download(`boxed-vs-packed-${kind}.csv`, new Blob([toCsv([d.head, ...d.rows])], { type: "text/csv" }));
  });
  json.addEventListener("click", () => {
    const d = table.data;
    if (!d) return;
    const rows = d.rows.map((r) => Object.fromEntries(d.head.map((h, i) => [h || "row", r[i]])));
    const body = JSON.stringify({ chart: title, caption: d.caption, ...meta(), rows }, null, 2);
    download(`boxed-vs-packed-${kind}.json`, new Blob([body], { type: "application/json" }));
  });
  const plot = el("div", { class: "plot" }, main, overlay, tip);
  const section = el(
    "section",
    { class: `panel ${kind}`, "aria-labelledby": `${id}-h` },
    el("h3", { id: `${id}-h`, text: title }),
    lede ? el("p", { class: "lede", text: lede }) : null,
    toolbar,
    plot,
    table,
    summary,
  );
  tableBtn.addEventListener("click", () => {
    const show = table.hidden;
    table.hidden = !show;
    if (show && table.data) buildTable(table);
    plot.hidden = show;
    tableBtn.textContent = show ? "Show chart" : "Show table";
    tableBtn.setAttribute("aria-pressed", String(show));
  });
  return { id, section, main, overlay, tip, summary, table, toolbar, plot };
}

/** How long a clipboard write may take before the reader is told to copy by hand. */
const CLIPBOARD_MS = 3000;

/**
 * Copy `text` to the clipboard and say how it went in `status`. A browser that refuses (an
 * insecure context, a denied permission) or never answers gets the text shown to copy by hand.
 */
export async function copy(text, status, what) {
  try {
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("no answer")), CLIPBOARD_MS),
    );
    await Promise.race([navigator.clipboard.writeText(text), timeout]);
    status.textContent = `${what} copied.`;
  } catch {
    status.textContent =
      text.length < 600 && !text.includes("\n")
        ? `The browser did not copy it; copy it from here: ${text}`
        : `The browser did not copy it: select the ${what.toLowerCase()} and copy it by hand.`;
  }
}

/** Save a Blob as a file (a download link, clicked; no server involved). */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  el("a", { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** RFC 4180 CSV: every cell quoted when it holds a comma, quote or line break. */
export function toCsv(rows) {
  const cell = (c) => {
    const t = String(c);
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

/**
 * Fill a table: caption, header row, body rows (cells are text; th for the first column). The
 * data stays on the wrapper for the CSV and JSON exports.
 */
export function fillTable(wrap, caption, head, rows) {
  wrap.data = { caption, head, rows };
  // A hidden table is built when it is shown: a slider step need not build DOM nobody sees.
  if (wrap.hidden) return;
  buildTable(wrap);
}

function buildTable(wrap) {
  const { caption, head, rows } = wrap.data;
  wrap.replaceChildren(dataTable(caption, head, rows));
}

/**
 * A table with a caption, column headers and rows whose first cell heads the row. A cell is
 * text or a node; a row that is null is left out.
 */
export function dataTable(caption, head, rows, props = {}) {
  const cell = (tag, c, extra = {}) =>
    c instanceof Node ? el(tag, extra, c) : el(tag, { ...extra, text: c });
  return el(
    "table",
    props,
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...head.map((h) => cell("th", h, { scope: "col" })))),
    el(
      "tbody",
      {},
      ...rows
        .filter(Boolean)
        .map((r) =>
          el("tr", {}, ...r.map((c, i) => (i === 0 ? cell("th", c, { scope: "row" }) : cell("td", c)))),
        ),
    ),
  );
}

/**
 * Show the tooltip near (x, y) in the plot's CSS pixels: the first line bold, then lines of
 * text; a line given as { note } is an explanation, set in the muted colour.
 */
export function showTip(tip, lines, x, y) {
  tip.replaceChildren(
    ...lines.map((l, i) =>
      typeof l === "object"
        ? el("span", { class: "note", text: l.note })
        : el(i === 0 ? "strong" : "span", { text: l }),
    ),
  );
  tip.hidden = false;
  const plot = tip.parentElement;
  const pw = plot.clientWidth;
  const ph = plot.clientHeight;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.max(0, Math.min(x + 14, pw - w));
  // Below the pointer if it fits, else above, else below anyway (overflowing the plot).
  const top = y + 16 + h <= ph || y - 8 - h < 0 ? y + 16 : y - 8 - h;
  tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
}

/** A tooltip's lines as one sentence for screen readers. */
export const tipText = (lines) => lines.map((l) => (typeof l === "object" ? l.note : l)).join(". ");

export function hideTip(tip) {
  tip.hidden = true;
}

/** Size an overlay canvas like its chart and return a context scaled to CSS pixels. */
const NO_CONTEXT = new Proxy({}, { get: () => () => {}, set: () => true });

export function overlayContext(overlay, main) {
  const dpr = window.devicePixelRatio || 1;
  // The size its panel drew at (reading clientWidth here would force a layout mid-render).
  const [w, h] = main.cssSize ?? [main.clientWidth, main.clientHeight];
  if (overlay.width !== Math.round(w * dpr) || overlay.height !== Math.round(h * dpr)) {
    overlay.width = Math.round(w * dpr);
    overlay.height = Math.round(h * dpr);
  }
  // A canvas without a 2D context (a blocked or exhausted browser) gets one that draws nothing,
  // so the tooltips, keyboard and tables still work.
  const ctx = overlay.getContext("2d") ?? NO_CONTEXT;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

/** Outline a rectangle on an overlay (the hovered or focused frame / segment). */
export function outline(ctx, [x, y, w, h], dark) {
  ctx.lineWidth = 2;
  ctx.strokeStyle = dark ? "#ffffff" : "#111111";
  ctx.strokeRect(x + 1, y + 1, Math.max(0, w - 2), Math.max(0, h - 2));
}

/** Pointer position in the element's CSS pixels. */
export function pointer(e, node) {
  const r = node.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}
