// The widget's styles, adopted into its shadow root as a constructable stylesheet: the host
// page's CSS cannot reach in, these rules cannot leak out, and no inline style is needed (so a
// strict Content-Security-Policy without 'unsafe-inline' is fine).
export const CSS = `
:host { display: block !important; container-type: inline-size; }
:host([hidden]) { display: none !important; }
/* all: initial cuts every inherited property the host page may set on <boxed-vs-packed>
   (font, colour, spacing, alignment, text-transform...); the widget then sets its own. */
.bvp { all: initial; display: block; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --soft: #f6f8fa; --accent: #0a58a8; --bad: #b3261e; --free: #e3e6ea;
  color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; box-sizing: border-box; }
.bvp[data-theme=dark] { --bg: #16181d; --fg: #e8eaed; --muted: #a8b0ba; --line: #3a4048; --soft: #20242b; --accent: #8cc4ff; --bad: #ff8a80; --free: #333840; }
* { box-sizing: border-box; }
h3 { font-size: 1.05em; margin: 1.1em 0 .2em; }
.lede { color: var(--muted); margin: 0 0 .5em; font-size: .93em; }
:host([compact]) .lede, :host([compact]) .secondary { display: none; }
.controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(13em, 1fr)); gap: 8px 14px; align-items: start; }
.controls label, .controls legend { display: block; font-size: .85em; color: var(--muted); }
.controls .n { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
.controls .n input[type=range] { flex: 1 1 14em; min-width: 10em; accent-color: var(--accent); }
.controls .n input[type=number] { width: 10em; }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; min-height: 32px; }
select, input[type=number] { width: 100%; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
fieldset.choice { display: flex; flex-direction: column; gap: 2px; }
fieldset.choice label { display: inline-flex; gap: 4px; align-items: center; color: var(--fg); font-size: .9em; }
fieldset.choice input { min-height: auto; }
button { cursor: pointer; background: var(--soft); }
button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); font-weight: 600; }
button:disabled { opacity: .55; cursor: default; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
[aria-invalid=true] { border-color: var(--bad); }
.note { color: var(--bad); margin: .4em 0 0; font-size: .9em; }
.note:empty { display: none; }
.headline { margin: .7em 0 .2em; font-size: 1.02em; }
.headline b { font-variant-numeric: tabular-nums; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; margin: .3em 0 .4em; }
.toolbar button { font-size: .85em; min-height: 28px; padding: 2px 8px; }
.plot { position: relative; width: 100%; }
.plot canvas { position: absolute; left: 0; top: 0; width: 100%; display: block; direction: ltr; }
.plot canvas.overlay { pointer-events: none; }
.heap .plot canvas.main { image-rendering: pixelated; }
.tip { position: absolute; left: 0; top: 0; z-index: 2; max-width: min(30em, 92%); pointer-events: none; background: var(--bg);
  color: var(--fg); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; font-size: .82em; line-height: 1.4;
  box-shadow: 0 2px 10px rgba(0,0,0,.18); }
.tip strong, .tip span { display: block; }
.tip .note { color: var(--muted); margin-top: 2px; }
.table-wrap { overflow-x: auto; max-height: 26em; overflow-y: auto; }
table { border-collapse: collapse; font-size: .85em; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: right; white-space: nowrap; }
th[scope=row], thead th:first-child { text-align: left; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.legend { list-style: none; padding: 0; margin: .4em 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: .82em; color: var(--muted); }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: 5px; vertical-align: -.1em; border: 1px solid var(--line); }
.heap[data-empty] .plot, .heap[data-empty] .legend, .heap[data-empty] .toolbar { display: none; }
.lab-controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.lab-controls label { display: inline-flex; gap: 6px; align-items: center; font-size: .9em; color: var(--muted); }
.lab-controls select { width: auto; max-width: 100%; }
.lab-controls label { flex-wrap: wrap; }
.lab-controls progress { flex: 1 1 8em; }
.lab-status { margin: .5em 0; font-weight: 600; }
.lab-results { overflow-x: auto; }
.lab-results table { margin: .3em 0 .6em; }
.lab-results tbody th, .lab-bytes td, .lab-times td:last-child { white-space: normal; }
.lab-times td:last-child { min-width: 7em; }
.check.ok { color: #1a7f37; font-weight: 700; }
.bvp[data-theme=dark] .check.ok { color: #6fdd8b; }
.check.bad { color: var(--bad); font-weight: 700; }
.lab-pages { color: var(--muted); font-size: .88em; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; font-size: .85em; line-height: 1.45; }
.loading { color: var(--muted); }
.share .toolbar { margin: 0; }
.embed-code textarea { width: 100%; font: 12px/1.4 ui-monospace, monospace; color: var(--fg); background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px; resize: vertical; }
.embed-code button { font-size: .85em; margin: 2px 0 6px; }
.embed-options { display: flex; flex-wrap: wrap; gap: .4em 1.2em; align-items: flex-start; margin: .3em 0 .5em; }
.embed-options fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0; padding: .2em .6em .4em; }
.embed-options fieldset label, .embed-options .check { display: flex; align-items: center; gap: .35em; min-height: 1.9em; }
.embed-options input[type=checkbox], .embed-options input[type=radio] { margin: 0; width: 1.05em; height: 1.05em; flex: none; }
.embed-options .field[hidden] { display: none; }
.embed-options .field label { display: block; font-size: .85em; color: var(--muted); }
.embed-preview { display: block; width: 100%; border: 1px dashed var(--line); border-radius: 6px; background: transparent; }
.embed-note:empty { display: none; }
.share-status { font-size: .85em; color: var(--muted); margin: .2em 0; min-height: 1.2em; }
.compare-bar { margin: .1em 0 .5em; }
.compare-bar > button { font-size: .85em; min-height: 28px; padding: 2px 8px; }
.compare-controls { margin-top: .5em; padding: 6px 10px 10px; border: 1px solid var(--line); border-radius: 6px; }
.compare-controls[hidden] { display: none; }
@container (min-width: 481px) { .compare-controls .container { grid-column: span 2; } }
@container (max-width: 480px) { .controls { grid-template-columns: 1fr; } .bvp { font-size: 14px; } }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; scroll-behavior: auto !important; } }
@media print { .toolbar, .lab-controls, .tip, .share, .controls { display: none !important; } }
.find { display: inline-flex; gap: 6px; align-items: center; font-size: .85em; color: var(--muted); }
.find input { width: 11em; min-height: 28px; padding: 2px 8px; }
.find-status { margin: 0 0 .3em; font-size: .88em; overflow-wrap: anywhere; }
.find-status:empty { display: none; }
.crumbs { min-height: 26px; display: flex; gap: 4px; align-items: center; overflow-x: auto; white-space: nowrap; margin: 0 0 .3em; font-size: .8em; color: var(--muted); }
.crumbs button { flex: none; max-width: 22em; overflow: hidden; text-overflow: ellipsis; min-height: 26px; padding: 1px 6px; }
.crumbs [aria-current] { font-weight: 600; border-color: var(--fg); }
.flame [aria-pressed=true] { border-color: var(--accent); font-weight: 600; }
.flame .details { display: flex; gap: 8px; align-items: flex-start; justify-content: space-between; margin: .4em 0; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); font-size: .85em; }
.flame .details[hidden] { display: none; }
.details strong, .details span { display: block; overflow-wrap: anywhere; }
.details .note { color: var(--muted); }
.details button { flex: none; }
@media print { .find, .crumbs, .details button { display: none !important; } }
/* heap map: the legend's filters and the scale line (issue 12) */
.heap-legend button.part { display: inline-flex; align-items: center; font: inherit; color: var(--fg); background: transparent; border: 1px solid var(--line); border-radius: 4px; padding: 1px 6px; min-height: 26px; }
.heap-legend button.part[aria-pressed=false] { text-decoration: line-through; color: var(--muted); }
.heap-legend button.part[aria-pressed=false] .swatch { background: transparent !important; }
.heap-legend .unmapped { align-self: center; }
.heap-scale { font-size: .82em; color: var(--muted); margin: .3em 0 0; }
.heap[data-empty] .heap-scale { display: none; }
.lab-times td { white-space: normal; min-width: 5.5em; }
`;

let sheet = null;

/** One shared CSSStyleSheet for every widget on the page. */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
