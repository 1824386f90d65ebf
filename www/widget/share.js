// Sharing the current state: a permalink to the hosted page, and the two embed forms for a
// blog post (the custom element, or an iframe with its few-line resize snippet). URLs are
// built from where the site's files were loaded, so they are right on any host and sub-path.
import { copy, el } from "./kit.js";
import { WWW } from "../wasm.js";
import { toParams } from "./state.js";

const site = () => new URL("../", WWW);

/** The hosted page showing `state`. */
export function permalink(state) {
  const url = new URL("index.html", site());
  url.search = toParams(state).toString();
  return url.href;
}

const attr = (v) => String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * Embed options beyond the state: `compact` (boolean), `theme` ("light", the default, "dark" or
 * "auto"), `height` (the iframe's starting height in CSS px).
 */
const extras = ({ compact = false, theme = "light" } = {}) => [
  ...(compact ? [["compact", ""]] : []),
  ...(theme !== "light" ? [["theme", theme]] : []),
];

/** `<script type=module>` + `<boxed-vs-packed ...>` for `state`. */
export function elementSnippet(state, opts) {
  const attrs = [...toParams(state), ...extras(opts)]
    .map(([k, v]) => (v === "" ? ` ${k}` : ` ${k}="${attr(v)}"`))
    .join("");
  return `<script type="module" src="${new URL("www/boxed-vs-packed.js", site()).href}"></script>\n<boxed-vs-packed${attrs}></boxed-vs-packed>`;
}

/** embed.html showing `state` with the options. */
export function embedUrl(state, opts) {
  const url = new URL("embed.html", site());
  const p = toParams(state);
  for (const [k, v] of extras(opts)) p.set(k, v === "" ? "1" : v);
  url.search = p.toString();
  return url.href;
}

/** An iframe of embed.html for `state`, and the host script that sets its height. */
export function iframeSnippet(state, opts = {}) {
  return [
    `<iframe src="${attr(embedUrl(state, opts))}" title="Boxed vs packed: Python memory explorer" loading="lazy" allow="clipboard-write" style="width:100%;height:${opts.height ?? 900}px;border:0"></iframe>`,
    "<script>",
    "  // Sets each boxed-vs-packed iframe to the height its page reports.",
    '  addEventListener("message", (e) => {',
    '    if (e.data?.type !== "boxed-vs-packed:height") return;',
    '    for (const f of document.querySelectorAll("iframe"))',
    "      if (f.contentWindow === e.source) f.style.height = `${e.data.height}px`;",
    "  });",
    "</script>",
  ].join("\n");
}

/**
 * The share bar: Copy link, and Copy embed code, which opens the embed builder (options, the
 * code, a live preview; loaded on first use) and copies the element code for the state shown.
 */
export function shareBar(host) {
  const status = el("p", { class: "share-status", role: "status", "aria-live": "polite" });
  const link = el("button", { type: "button", text: "Copy link" });
  const embed = el("button", { type: "button", text: "Copy embed code", "aria-expanded": "false" });
  const panel = el("div", { class: "embed-code", hidden: true });
  let builder = null;
  link.addEventListener("click", () => copy(permalink(host.state), status, "The link"));
  embed.addEventListener("click", async () => {
    const open = panel.hidden;
    panel.hidden = !open;
    embed.setAttribute("aria-expanded", String(open));
    if (!open) return;
    copy(elementSnippet(host.state), status, "The custom element code");
    if (builder) return builder.update();
    panel.textContent = "Loading the embed options…";
    try {
      const m = await import("./embed-builder.js");
      builder = m.mountBuilder(panel, host, status);
    } catch (e) {
      // The options could not load (offline, a broken deploy): the code is still copied above.
      panel.textContent = `The embed options could not load (${e?.message ?? e}). The element code was copied.`;
    }
  });
  return {
    section: el("div", { class: "share" }, el("div", { class: "toolbar" }, link, embed), panel, status),
    /** Keep the open builder in step with the state. */
    update() {
      if (!panel.hidden) builder?.update();
    },
    free: () => builder?.free(),
  };
}
