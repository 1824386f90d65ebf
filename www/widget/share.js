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

/** `<script type=module>` + `<boxed-vs-packed ...>` for `state`. */
export function elementSnippet(state) {
  const attrs = [...toParams(state)].map(([k, v]) => ` ${k}="${attr(v)}"`).join("");
  return `<script type="module" src="${new URL("www/boxed-vs-packed.js", site()).href}"></script>\n<boxed-vs-packed${attrs}></boxed-vs-packed>`;
}

/** An iframe of embed.html for `state`, and the host script that sets its height. */
export function iframeSnippet(state) {
  const url = new URL("embed.html", site());
  url.search = toParams(state).toString();
  return [
    `<iframe src="${attr(url.href)}" title="Boxed vs packed: Python memory explorer" loading="lazy" style="width:100%;height:900px;border:0"></iframe>`,
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

/** The share bar: Copy link, and Copy embed code (which shows both forms to copy). */
export function shareBar(host) {
  const status = el("p", { class: "share-status", role: "status", "aria-live": "polite" });
  const link = el("button", { type: "button", text: "Copy link" });
  const embed = el("button", { type: "button", text: "Copy embed code", "aria-expanded": "false" });
  const box = (label, cls) => el("textarea", { readOnly: true, rows: 4, class: cls, "aria-label": label });
  const custom = box("Embed code: custom element", "embed-element");
  const frame = box("Embed code: iframe", "embed-iframe");
  const copyBtn = (area, what) => {
    const b = el("button", { type: "button", text: `Copy ${what}` });
    b.addEventListener("click", () => copy(area.value, status, `The ${what}`));
    return b;
  };
  const panel = el(
    "div",
    { class: "embed-code", hidden: true },
    el("p", {
      class: "lede",
      text: "A custom element: one script tag, then the widget, anywhere in a post.",
    }),
    custom,
    copyBtn(custom, "custom element"),
    el("p", { class: "lede", text: "Or an iframe, with a few lines that fit its height to the content." }),
    frame,
    copyBtn(frame, "iframe code"),
  );
  link.addEventListener("click", () => copy(permalink(host.state), status, "The link"));
  embed.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    embed.setAttribute("aria-expanded", String(open));
    if (open) {
      custom.value = elementSnippet(host.state);
      frame.value = iframeSnippet(host.state);
      copy(custom.value, status, "The custom element code");
    }
  });
  return {
    section: el("div", { class: "share" }, el("div", { class: "toolbar" }, link, embed), panel, status),
    /** Keep open snippets in step with the state. */
    update() {
      if (panel.hidden) return;
      custom.value = elementSnippet(host.state);
      frame.value = iframeSnippet(host.state);
    },
  };
}
