// The heap map of a lab run, loaded when the first run ends (not needed at first render). The
// view is a list of address stretches drawn one under another: up close as cells of 8 or 16
// bytes with a hex address axis and the blocks' names, far out as pixels of many bytes with the
// arenas, pools and mappings marked; stretches no allocator holds are left out and said so.
import { el, hideTip, overlayContext, pointer, showTip, swatch, tipText } from "../widget/kit.js";
import { exactBytes, formatBytes, formatCount } from "../widget/units.js";

// charts::heapmap::Part, in its order (the bit a filter toggles is 1 << index).
const PARTS = [
  ["object header", "#56b4e9"],
  ["payload (the values)", "#e69f00"],
  ["pointer slot", "#009e73"],
  ["over-allocated slot", "#f0e442"],
  ["malloc header / rounding", "#d55e00"],
  ["struct padding", "#cc79a7"],
  ["container object", "#0072b2"],
  ["shared object (existed before)", "#c8c8c8"],
  ["free: held by the allocator, not in use", "var(--free)"],
  ["pool header / arena alignment", "#8a3b12"],
  ["start of an arena, pool or mapping", "#333333"],
];
const FRAME_LONG = ["", "pymalloc arena", "pymalloc pool", "malloc heap segment", "mmapped chunk"];

/** The address axis's width: full 8-digit addresses, or unpadded ones on a phone. */
const axisCss = (width) => (width < 480 ? 74 : 92);
const GAP_CSS = 20;
const MAX_HEIGHT_CSS = 420;
/** Labelled blocks closer than this share one stretch of the default view. */
const JOIN_BYTES = 1024;
/** Holes no allocator holds of at least this many bytes (or 1/64 of the map) are left out. */
const MIN_HOLE = 256 * 1024;

const hex = (a) => `0x${Math.floor(a).toString(16).padStart(8, "0")}`;
const sum = (segs) => segs.reduce((s, [a, b]) => s + (b - a), 0);

/** Merge [start, end) stretches that lie closer than `join` bytes; sorted by address. */
function merge(segs, join) {
  const out = [];
  for (const [a, b] of [...segs].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1] + join) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The stretches of memory some allocator holds, from a run's typed arrays (live blocks, the
 * allocators' regions and frames), with holes of `minGap` bytes or more left out.
 */
function extents(h, minGap) {
  const spans = [];
  for (let i = 0; i < h.runStart.length; i++)
    spans.push([h.runStart[i], h.runStart[i] + h.runSize[i] * h.runCount[i]]);
  for (let i = 0; i < h.regionStart.length; i++)
    spans.push([h.regionStart[i], h.regionStart[i] + h.regionLen[i]]);
  for (let i = 0; i < h.frameStart.length; i++)
    spans.push([h.frameStart[i], h.frameStart[i] + h.frameLen[i]]);
  return merge(spans, minGap);
}

/**
 * Create the view inside the heap panel `p` (kit.panel's parts) for the explorer `host`, with
 * its zoom buttons, the legend's list and the scale line; returns { load(result), draw(width) }.
 */
export function heapView(host, p, { zoomOut, reset, whole, legend, scale }) {
  const ex = () => host.explorer;
  let full = [];
  let home = [];
  let view = [];
  const history = [];
  let hidden = 0;
  let cursor = null; // an address
  let bands = [];
  let drawGen = 0;
  let lastPointer = "mouse";
  let skippedBytes = 0;
  let scaleText = "";
  let word = 8;
  // The run's arenas, pools, segments and mappings [start, len, kind, block size], by address;
  // a small structure's named blocks [start, len, name].
  let frames = [];
  let labels = [];
  const framesMeeting = (from, to) => frames.filter(([start, len]) => start < to && start + len > from);
  const labelOf = (blockStart) => labels.find((l) => l[0] === blockStart)?.[2] ?? null;
  let frameNote = "";

  // The legend: one toggle per part (aria-pressed: shown), and what the background means.
  const toggles = PARTS.map(([name, colour], i) => {
    const b = el("button", { type: "button", class: "part", "aria-pressed": "true" }, swatch(colour), name);
    b.addEventListener("click", () => {
      hidden ^= 1 << i;
      b.setAttribute("aria-pressed", String(!(hidden & (1 << i))));
      host.invalidate("heap");
    });
    return el("li", {}, b);
  });
  const unmapped = el("li", { class: "unmapped" }, swatch("transparent"), "");
  legend.replaceChildren(...toggles, unmapped);

  const setView = (segs, push = true) => {
    if (push && view.length) history.push(view);
    view = segs;
    const isFull = sum(view) >= sum(full) && view.length === full.length;
    zoomOut.disabled = history.length === 0 && isFull;
    reset.disabled = history.length === 0 && sameAs(view, home);
    whole.disabled = isFull;
    host.invalidate("heap");
  };
  const sameAs = (a, b) => a.length === b.length && a.every((s, i) => s[0] === b[i][0] && s[1] === b[i][1]);

  function load(result) {
    word = result.profile.startsWith("wasm32") ? 4 : 8;
    const span = ex().heapSpan();
    const total = span.length ? span[1] - span[0] : 0;
    const h = result.heap;
    frames = Array.from(h.frameStart, (start, i) => [start, h.frameLen[i], h.frameKind[i], h.frameBlock[i]]);
    const names = h.labelText.split("\n");
    labels = Array.from(h.labelStart, (start, i) => [start, h.labelLen[i], names[i]]);
    full = extents(h, Math.max(MIN_HOLE, total / 64));
    if (!full.length && span.length) full = [[span[0], span[1]]];
    skippedBytes = total - sum(full);

    // A small structure opens on its own blocks and its elements, a little padded; a big one
    // on the whole map.
    home = labels.length
      ? merge(
          labels.map(([a, l]) => [a - 16, a + l + 16]),
          JOIN_BYTES,
        )
      : full;
    if (home !== full && sum(home) > 64 * 1024) home = full;
    history.length = 0;
    cursor = null;
    unmapped.lastChild.textContent = `not the heap's: memory no allocator here holds (NumPy's freed temporaries, the lab's own bookkeeping)${
      skippedBytes > 0 ? `; ${formatBytes(skippedBytes, "iec")} of it left out of the map` : ""
    }`;
    view = [];
    setView(home, false);
    table(result);
  }

  /** Stretches laid out as bands of rows: cells of a few bytes, or pixels of many. */
  function layout(width) {
    const avail = Math.max(64, width - axisCss(width) - 4);
    const total = Math.max(1, sum(view));
    const gaps = (view.length - 1) * GAP_CSS;
    // Cells: the smallest cell size whose rows fit the height. Rows start at multiples of the
    // row's bytes, so stretches that come to share a row are drawn as one.
    // A cell is a word at least: 8 bytes, or 4 on wasm32, where fields are 4 bytes wide.
    for (let cellBytes = word; cellBytes <= 256; cellBytes *= 2) {
      const small = cellBytes <= 16;
      const minCell = small ? 20 : 7;
      let cols = 2 ** Math.floor(Math.log2(avail / minCell));
      cols = Math.max(4, Math.min(small ? 32 : 128, cols));
      const rowBytes = cols * cellBytes;
      const rowH = small ? 22 : 10;
      const stretches = merge(
        view.map(([a, b]) => [Math.floor(a / rowBytes) * rowBytes, Math.ceil(b / rowBytes) * rowBytes]),
        0,
      );
      const rows = stretches.map(([a, b]) => (b - a) / rowBytes);
      const h = rows.reduce((s, r) => s + r, 0) * rowH + (stretches.length - 1) * GAP_CSS;
      if (h <= MAX_HEIGHT_CSS)
        return { mode: "cells", cellBytes, cols, rowBytes, rowH, cellW: avail / cols, rows, stretches };
    }
    // Pixels: a whole number of bytes each.
    const target = Math.max(160, Math.min(320, Math.round(width * 0.4))) - gaps;
    const g = Math.max(1, Math.ceil(total / (avail * Math.max(40, target))));
    const rowBytes = avail * g;
    const rows = view.map(([a, b]) => Math.max(1, Math.ceil((b - a) / rowBytes)));
    return { mode: "pixels", g, cols: avail, rowBytes, rowH: 1, cellW: 1, rows, stretches: view };
  }

  function draw(width) {
    if (!view.length) return;
    const L = layout(width);
    bands = [];
    let y = 0;
    L.stretches.forEach(([lo], i) => {
      if (i > 0) {
        bands.push({ kind: "gap", y, h: GAP_CSS, lo: bands.at(-1).hi, hi: lo });
        y += GAP_CSS;
      }
      const h = L.rows[i] * L.rowH;
      bands.push({ kind: L.mode, y, h, lo, hi: lo + L.rows[i] * L.rowBytes, rows: L.rows[i] });
      y += h;
    });
    const height = Math.max(y, 24);
    const dpr = window.devicePixelRatio || 1;
    p.main.style.height = `${height}px`;
    p.plot.style.height = `${height}px`;
    p.main.cssSize = [width, height];
    p.main.width = Math.round(width * dpr);
    p.main.height = Math.round(height * dpr);
    const ctx = p.main.getContext("2d");
    if (!ctx) throw new Error("canvas: could not get a 2D context");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const css = getComputedStyle(p.section);
    const fg = css.getPropertyValue("--fg").trim() || "#1f2328";
    const muted = css.getPropertyValue("--muted").trim() || "#59636e";
    const bg = css.getPropertyValue("--bg").trim() || "#fff";
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, width, height);
    ctx.font = "11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    ctx.textBaseline = "middle";
    const gen = ++drawGen;
    const x0 = axisCss(width);
    const short = x0 < 90;
    p.layout = { ...L, x0 };
    const pending = [];
    for (const band of bands) {
      if (band.kind === "gap") {
        ctx.fillStyle = muted;
        ctx.textAlign = "center";
        ctx.fillText(
          `⋯ ${formatBytes(band.hi - band.lo, "iec")} not shown: ${hex(band.lo)} to ${hex(band.hi)} ⋯`,
          x0 + (width - x0) / 2,
          band.y + band.h / 2,
          width - x0,
        );
      } else if (band.kind === "cells") drawCells(ctx, band, L, x0, fg);
      else pending.push(band);
      axis(ctx, band, L, x0, muted, short);
    }
    p.main.setAttribute(
      "aria-label",
      `Heap map of ${formatBytes(sum(view), "iec")} of the lab's memory in ${view.length} ${
        view.length === 1 ? "stretch" : "stretches"
      }, ${L.mode === "cells" ? `one cell per ${L.cellBytes} bytes` : `${formatCount(L.g)} bytes per pixel`}. Arrow keys read the addresses, Enter zooms in, Escape zooms out.`,
    );
    frameNote = "";
    scaleText =
      L.mode === "cells"
        ? `Addresses are hex byte offsets in the lab's WebAssembly linear memory. One cell = ${L.cellBytes} bytes; a row = ${formatCount(L.rowBytes)} bytes.`
        : `Addresses are hex byte offsets in the lab's WebAssembly linear memory. One pixel = ${exactBytes(L.g)}; a row = ${formatBytes(L.rowBytes, "iec")}. Click a region to zoom in.`;
    scale.textContent = scaleText;
    // What is drawn, for tests and anyone's devtools.
    Object.assign(p.section.dataset, {
      viewBytes: sum(view),
      viewMode: L.mode,
      cellBytes: L.mode === "cells" ? L.cellBytes : L.g,
      cellWidth: L.cellW,
      rowHeight: L.rowH,
      axisWidth: x0,
      frames: 0,
    });
    // Pixel bands are rastered in Rust a few rows at a time, each in its own task, so a map of
    // 10**7 objects never holds the main thread for long; a newer draw abandons an older one.
    const scratch = document.createElement("canvas");
    const rowsPer = 24;
    const next = () => {
      if (gen !== drawGen) return;
      const band = pending[0];
      if (!band) {
        p.section.dataset.drawn = String(gen);
        paintCursor();
        return;
      }
      const r0 = band.done ?? 0;
      const r1 = Math.min(band.rows, r0 + rowsPer);
      const px = ex().heapRaster(
        band.lo + r0 * L.rowBytes,
        band.lo + r1 * L.rowBytes,
        L.cols,
        r1 - r0,
        host.dark,
        hidden,
      );
      scratch.width = L.cols;
      scratch.height = r1 - r0;
      scratch
        .getContext("2d")
        ?.putImageData(
          new ImageData(new Uint8ClampedArray(px.buffer, px.byteOffset, px.length), L.cols, r1 - r0),
          0,
          0,
        );
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(scratch, x0, band.y + r0);
      band.done = r1;
      if (r1 >= band.rows) pending.shift();
      if (!pending.length) drawFrames(ctx, L, x0, fg, css.getPropertyValue("--free").trim() || "#e3e6ea");
      setTimeout(next);
    };
    next();
  }

  /** A band of cells: colours from Rust's raster (one sample per cell), block edges, names. */
  function drawCells(ctx, band, L, x0, fg) {
    const px = ex().heapRaster(band.lo, band.hi, L.cols, band.rows, host.dark, hidden);
    const small = L.cellBytes <= 16;
    const gapPx = L.cellW >= 6 ? 1 : 0;
    for (let r = 0; r < band.rows; r++) {
      for (let c = 0; c < L.cols; c++) {
        const i = (r * L.cols + c) * 4;
        ctx.fillStyle = `rgb(${px[i]},${px[i + 1]},${px[i + 2]})`;
        ctx.fillRect(x0 + c * L.cellW, band.y + r * L.rowH, L.cellW - gapPx, L.rowH - gapPx);
      }
    }
    if (!small) return;
    // Block edges and names: one describe per cell, a few hundred cells at most.
    ctx.textAlign = "left";
    const labelled = labels.length > 0;
    for (let r = 0; r < band.rows; r++) {
      let c = 0;
      while (c < L.cols) {
        const a = band.lo + r * L.rowBytes + c * L.cellBytes;
        const d = ex().heapDescribe(a);
        if (!d || d.requested === 0) {
          c++;
          continue;
        }
        const end = d.blockStart + d.blockSize;
        const cells = Math.max(1, Math.min(L.cols - c, Math.ceil((end - a) / L.cellBytes)));
        const x = x0 + c * L.cellW;
        const y = band.y + r * L.rowH;
        if (d.blockStart >= a) {
          ctx.fillStyle = fg;
          ctx.fillRect(x, y, 2, L.rowH - 1);
        }
        // Names for the structure's own blocks when it has them, else for every block.
        const name = (labelled ? labelOf(d.blockStart) : d.what)
          ?.replace(/ \(.*$/, "")
          .replace(/, element \d+$/, "");
        const w = cells * L.cellW - 6;
        // Named where the block starts (a block that wraps is not named twice).
        const tooNarrowBefore =
          ((a - d.blockStart) / L.cellBytes) * L.cellW - 6 < ctx.measureText(name ?? "").width;
        const starts = d.blockStart >= a || (c === 0 && (r === 0 || tooNarrowBefore));
        if (name && starts && ctx.measureText(name).width <= w) {
          // Dark text on the light colours, light text on the container's dark blue.
          const i = (r * L.cols + c) * 4;
          const lum = 0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2];
          ctx.fillStyle = lum < 110 ? "#fff" : "#111";
          ctx.fillText(name, x + 4, y + L.rowH / 2, w);
        }
        c += cells;
      }
    }
  }

  /** The address axis: a hex address at the start of rows, spaced to be read. */
  function axis(ctx, band, L, x0, muted, short) {
    if (band.kind === "gap") return;
    ctx.fillStyle = muted;
    ctx.textAlign = "right";
    const every = Math.max(1, Math.ceil(16 / L.rowH));
    for (let r = 0; r < band.rows; r += every) {
      const a = band.lo + r * L.rowBytes;
      ctx.fillText(
        short ? `0x${a.toString(16)}` : hex(a),
        x0 - 10,
        band.y + r * L.rowH + (L.rowH >= 16 ? L.rowH / 2 : 6),
      );
    }
  }

  /**
   * Far out: a bar left of the rows for each arena, heap segment and mapping (shades alternate,
   * so neighbours part), and a tick where each one starts in its row.
   */
  function drawFrames(ctx, L, x0, fg, free) {
    const kinds = new Map();
    let k = 0;
    for (const band of bands) {
      if (band.kind !== "pixels") continue;
      for (const [start, len, kind] of framesMeeting(band.lo, band.hi)) {
        if (kind === 2) continue;
        kinds.set(kind, len);
        const top = Math.max(0, start - band.lo);
        const bottom = Math.min(band.hi, start + len) - band.lo;
        const y0 = band.y + Math.floor(top / L.rowBytes);
        const y1 = band.y + Math.ceil(bottom / L.rowBytes);
        ctx.fillStyle = k++ % 2 ? free : fg;
        ctx.fillRect(x0 - 7, y0, 4, Math.max(1, y1 - y0 - 1));
        if (start >= band.lo) ctx.fillRect(x0 + (top % L.rowBytes) / L.g - 1, y0, 2, Math.min(5, band.h));
      }
    }
    p.section.dataset.frames = String(k);
    const arena = kinds.get(1);
    frameNote = k
      ? ` Bars at the left: ${[
          arena ? `pymalloc arenas (${formatBytes(arena, "iec")} each)` : "",
          kinds.has(3) ? "malloc's heap segments" : "",
          kinds.has(4) ? "mmapped chunks" : "",
        ]
          .filter(Boolean)
          .join(", ")}; dark dots mark where pools start.`
      : "";
    scale.textContent = scaleText + frameNote;
  }

  /** The address under (x, y) in CSS pixels, or null over a gap. */
  function addrAt(x, y) {
    const band = bands.find((b) => y >= b.y && y < b.y + b.h) ?? bands.at(-1);
    const L = p.layout;
    if (!band || !L) return null;
    if (band.kind === "gap") return { gap: band };
    const row = Math.min(band.rows - 1, Math.max(0, Math.floor((y - band.y) / L.rowH)));
    const col = Math.min(L.cols - 1, Math.max(0, Math.floor((x - L.x0) / L.cellW)));
    const step = L.mode === "cells" ? L.cellBytes : L.g;
    return { addr: band.lo + row * L.rowBytes + col * step };
  }

  /** Where an address is drawn: [x, y, w, h] of its cell or pixel, or null. */
  function placeOf(addr) {
    const L = p.layout;
    const band = bands.find((b) => b.kind !== "gap" && addr >= b.lo && addr < b.hi);
    if (!band || !L) return null;
    const off = addr - band.lo;
    const row = Math.floor(off / L.rowBytes);
    const col = Math.floor((off % L.rowBytes) / (L.mode === "cells" ? L.cellBytes : L.g));
    return [L.x0 + col * L.cellW, band.y + row * L.rowH, Math.max(L.cellW, 3), Math.max(L.rowH, 3)];
  }

  /** The arena and pool (or heap segment, or mapping) an address lies in, as a line. */
  function where(addr) {
    const parts = framesMeeting(addr, addr + 1).map(
      ([start, len, kind, block]) =>
        `${FRAME_LONG[kind] ?? "frame"} at ${hex(start)} (${formatBytes(len, "iec")}${block ? `, ${block}-byte blocks` : ""})`,
    );
    return parts.length ? [`in the ${parts.reverse().join(", in the ")}`] : [];
  }

  function describe(addr) {
    const d = ex().heapDescribe(addr);
    if (!d) return [`${hex(addr)}: not the heap's`, { note: "No allocator holds this memory now." }];
    const name = labelOf(d.blockStart) ?? d.what;
    if (!d.requested)
      return [
        `${d.what} · ${exactBytes(d.fieldLen)} at ${hex(d.fieldStart)}`,
        { note: `address ${hex(d.address)}, byte ${formatCount(d.offset)} of it` },
      ];
    return [
      `${name} · ${d.field} · ${exactBytes(d.fieldLen)} at ${hex(d.fieldStart)}`,
      `${d.what}: a ${formatCount(d.blockSize)}-byte block at ${hex(d.blockStart)}, ${exactBytes(d.requested)} requested`,
      ...where(addr),
      { note: `address ${hex(d.address)}, byte ${d.offset} of the block` },
    ];
  }

  function paintCursor() {
    const ctx = overlayContext(p.overlay, p.main);
    if (cursor === null) return hideTip(p.tip);
    const at = placeOf(cursor);
    if (!at) return hideTip(p.tip);
    ctx.strokeStyle = host.dark ? "#fff" : "#000";
    ctx.lineWidth = 2;
    const d = p.layout.mode === "cells" ? ex().heapDescribe(cursor) : null;
    if (d && d.fieldLen && d.fieldLen < 4096) {
      // The whole field, cell by cell.
      for (let a = d.fieldStart; a < d.fieldStart + d.fieldLen; a += p.layout.cellBytes) {
        const r = placeOf(a);
        if (r) ctx.strokeRect(r[0] + 1, r[1] + 1, r[2] - 3, r[3] - 3);
      }
    } else ctx.strokeRect(at[0] - 2, at[1] - 2, at[2] + 3, at[3] + 3);
    const lines = describe(cursor);
    showTip(p.tip, lines, at[0] + at[2] / 2, at[1] + at[3]);
    if (lastPointer === "touch") {
      // Under a finger the tip hangs below the map, not over the cells being tapped.
      const left = Math.max(0, Math.min(at[0], p.plot.clientWidth - p.tip.offsetWidth));
      p.tip.style.transform = `translate(${Math.round(left)}px, ${p.plot.clientHeight + 4}px)`;
    }
    p.summary.textContent = tipText(lines);
  }

  function showGap(gap, x, y) {
    cursor = null;
    overlayContext(p.overlay, p.main);
    const lines = [
      `${formatBytes(gap.hi - gap.lo, "iec")} left out (${exactBytes(gap.hi - gap.lo)})`,
      {
        note: `${hex(gap.lo)} to ${hex(gap.hi)}: ${ex().heapDescribe((gap.lo + gap.hi) / 2)?.what ?? "not the heap's"}`,
      },
    ];
    showTip(p.tip, lines, x, y);
    p.summary.textContent = tipText(lines);
  }

  /** Zoom into the region at `addr`: the arena, pool or block around it that is well inside the view. */
  function zoomInto(addr) {
    const now = sum(view);
    const seg = full.find(([a, b]) => addr >= a && addr < b) ?? view.find(([a, b]) => addr >= a && addr < b);
    const regions = framesMeeting(addr, addr + 1).map(([s, l]) => [s, s + l]);
    const d = ex().heapDescribe(addr);
    if (d) regions.push([d.blockStart, d.blockStart + d.blockSize]);
    const fit = regions
      .filter(([a, b]) => b - a <= now / 3 && b - a >= 32)
      .sort((x, y) => y[1] - y[0] - (x[1] - x[0]))[0];
    let next;
    if (fit && fit[1] - fit[0] >= now / 64) next = fit;
    else {
      const len = Math.max(64, now / 4);
      const lo = Math.max(seg?.[0] ?? 0, addr - len / 2);
      next = [lo, Math.min(seg?.[1] ?? lo + len, lo + len)];
    }
    if (next[1] - next[0] >= now) return;
    cursor = addr;
    setView([[Math.floor(next[0]), Math.ceil(next[1])]]);
  }

  function back() {
    if (history.length) setView(history.pop(), false);
    else if (!sameAs(view, full)) setView(full, false);
  }

  p.main.addEventListener("pointerdown", (e) => {
    lastPointer = e.pointerType;
  });
  p.main.addEventListener("pointermove", (e) => {
    if (e.pointerType === "touch" || !bands.length) return;
    lastPointer = e.pointerType;
    const hit = addrAt(...pointer(e, p.main));
    if (!hit) return;
    if (hit.gap) return showGap(hit.gap, ...pointer(e, p.main));
    cursor = hit.addr;
    paintCursor();
  });
  p.main.addEventListener("pointerleave", (e) => {
    // A tapped cell stays read until the next tap (a stray mouse leave does not clear it).
    if (e.pointerType === "touch" || lastPointer === "touch") return;
    cursor = null;
    paintCursor();
  });
  p.main.addEventListener("click", (e) => {
    const hit = addrAt(...pointer(e, p.main));
    if (!hit || hit.gap) return;
    // A tap first reads the spot (the tip shows below the finger); a second tap there zooms.
    if (lastPointer === "touch") {
      const was = cursor === null ? null : ex().heapDescribe(cursor);
      const now = ex().heapDescribe(hit.addr);
      if (!was || !now || was.fieldStart !== now.fieldStart || was.blockStart !== now.blockStart) {
        cursor = hit.addr;
        paintCursor();
        return;
      }
    }
    zoomInto(hit.addr);
  });
  p.main.addEventListener("keydown", (e) => {
    if (!bands.length) return;
    const L = p.layout;
    const step = L.mode === "cells" ? L.cellBytes : L.g * 4;
    cursor ??= view[0][0];
    const d = { ArrowRight: step, ArrowLeft: -step, ArrowUp: -L.rowBytes, ArrowDown: L.rowBytes }[e.key];
    if (d) {
      let next = cursor + d;
      // Across a left-out stretch to the next one drawn.
      if (!placeOf(next)) {
        const i = view.findIndex(([a, b]) => cursor >= a && cursor < b);
        const to = d > 0 ? view[i + 1]?.[0] : view[i - 1]?.[1] - step;
        next = to ?? cursor;
        if (!placeOf(next)) next = cursor;
      }
      cursor = next;
    } else if (e.key === "Home") cursor = view[0][0];
    else if (e.key === "End") cursor = view.at(-1)[1] - 1;
    else if (e.key === "Enter" || e.key === "+") zoomInto(cursor);
    else if (e.key === "Escape" || e.key === "-") {
      if (zoomOut.disabled) return;
      back();
    } else return;
    e.preventDefault();
    paintCursor();
  });
  zoomOut.addEventListener("click", back);
  reset.addEventListener("click", () => {
    history.length = 0;
    setView(home, false);
  });
  whole.addEventListener("click", () => setView(full));

  /** The table: live blocks by kind, then the allocators' structure. */
  function table(result) {
    const by = new Map();
    const { runCount, runSize, runRequested, runWhat, frameKind, frameLen } = result.heap;
    for (let i = 0; i < runWhat.length; i++) {
      const row = by.get(runWhat[i]) ?? [0, 0, 0];
      row[0] += runCount[i];
      row[1] += runCount[i] * runRequested[i];
      row[2] += runCount[i] * runSize[i];
      by.set(runWhat[i], row);
    }
    const frames = new Map();
    for (let i = 0; i < (frameKind?.length ?? 0); i++) {
      const row = frames.get(frameKind[i]) ?? [0, 0];
      row[0] += 1;
      row[1] += frameLen[i];
      frames.set(frameKind[i], row);
    }
    p.rows = [
      ...[...by].map(([what, [n, req, size]]) => [
        p.whatName(what),
        formatCount(n),
        formatCount(req),
        formatCount(size),
      ]),
      ...[...frames].map(([kind, [n, bytes]]) => [
        `${FRAME_LONG[kind] ?? `frame ${kind}`}s (allocator structure)`,
        formatCount(n),
        "—",
        formatCount(bytes),
      ]),
    ];
  }

  return { load, draw };
}
