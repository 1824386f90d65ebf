// The embed builder behind "Copy embed code": choose the form (the custom element or an iframe),
// the panels, compact, the theme and the iframe's height, see a live preview, and copy the code.
// Loaded the first time it is opened: a reader who never embeds never downloads it.
import { copy, el, nextId } from "./kit.js";
import { CHOICES } from "./state.js";
import { elementSnippet, embedUrl, iframeSnippet } from "./share.js";

const PANEL_NAMES = {
  flame: "where the bytes go",
  series: "memory vs n",
  bars: "bytes per element",
  lab: "the lab",
  code: "the Python",
  diagram: "the objects, drawn",
};
export const HEIGHT = { min: 200, max: 4000, initial: 900 };

/**
 * Build the options form, the code box and the preview into `box`; `host` is the widget (its
 * state is what the code shows), `status` the share bar's live region.
 * @returns {{ update(): void }} refreshes the code and preview for the widget's current state
 */
export function mountBuilder(box, host, status) {
  const form = el("form", { class: "embed-options", "aria-label": "embed options" });
  const radio = (name, value, text, checked) =>
    el("label", {}, el("input", { type: "radio", name, value, checked }), ` ${text}`);
  const kind = el(
    "fieldset",
    {},
    el("legend", { text: "Embed as" }),
    radio("kind", "element", "the custom element (one script tag)", true),
    radio("kind", "iframe", "an iframe (fully isolated)", false),
  );
  const shown = new Set(host.state.panels.split(","));
  const panels = el(
    "fieldset",
    { class: "embed-panels" },
    el("legend", { text: "Panels" }),
    ...CHOICES.panels.map((p) =>
      el(
        "label",
        {},
        el("input", { type: "checkbox", name: "panel", value: p, checked: shown.has(p) }),
        ` ${PANEL_NAMES[p] ?? p}`,
      ),
    ),
  );
  const compact = el("input", { type: "checkbox", name: "compact" });
  const theme = el(
    "select",
    { name: "theme", id: nextId("theme") },
    el("option", { value: "light", text: "light (the default)" }),
    el("option", { value: "dark", text: "dark" }),
    el("option", { value: "auto", text: "auto: follows the reader's setting" }),
  );
  const height = el("input", {
    type: "number",
    name: "height",
    id: nextId("height"),
    min: HEIGHT.min,
    max: HEIGHT.max,
    step: 10,
    value: HEIGHT.initial,
    inputMode: "numeric",
  });
  const heightField = el(
    "div",
    { class: "field" },
    el("label", { for: height.id, text: "iframe height (CSS px, until the page reports its own)" }),
    height,
  );
  form.append(
    kind,
    panels,
    el("label", { class: "check" }, compact, " compact: drop the explanatory lines"),
    el("div", { class: "field" }, el("label", { for: theme.id, text: "theme" }), theme),
    heightField,
  );
  form.addEventListener("submit", (e) => e.preventDefault());
  const code = el("textarea", { readOnly: true, rows: 5, class: "embed-output", "aria-label": "Embed code" });
  const copyBtn = el("button", { type: "button", text: "Copy the code" });
  const note = el("p", { class: "embed-note", role: "status" });
  const preview = el("iframe", {
    class: "embed-preview",
    title: "Preview of the embed",
    loading: "lazy",
  });
  box.replaceChildren(
    form,
    code,
    copyBtn,
    note,
    el("p", { class: "lede", text: "Preview, live: what a reader of the post will see." }),
    preview,
  );

  /** The options chosen, checked: at least one panel, a height within bounds. */
  const options = () => {
    const f = form.elements;
    const chosen = [...f.panel].filter((c) => c.checked).map((c) => c.value);
    const notes = [];
    if (!chosen.length) {
      notes.push("At least one panel is needed: keeping where the bytes go");
      f.panel[0].checked = true;
      chosen.push(f.panel[0].value);
    }
    let h = Math.round(Number(height.value));
    if (!Number.isFinite(h) || height.value.trim() === "" || h < HEIGHT.min || h > HEIGHT.max) {
      notes.push(
        `height must be a number of CSS pixels from ${HEIGHT.min} to ${HEIGHT.max}: using ${HEIGHT.initial}`,
      );
      h = HEIGHT.initial;
      height.value = String(h);
    }
    note.textContent = notes.join(". ");
    return {
      kind: f.kind.value,
      state: { ...host.state, panels: chosen.join(",") },
      compact: compact.checked,
      theme: theme.value,
      height: h,
    };
  };

  let previewTimer = 0;
  const update = () => {
    const o = options();
    heightField.hidden = o.kind !== "iframe";
    code.value = o.kind === "iframe" ? iframeSnippet(o.state, o) : elementSnippet(o.state, o);
    // One preview load per settled change, not one per keystroke.
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      const src = embedUrl(o.state, o);
      if (preview.src !== src) {
        preview.style.height = `${Math.min(o.height, 900)}px`;
        preview.src = src;
      }
    }, 250);
  };
  // The preview reports its height as any embed.html does: fit it, up to a screenful.
  const onMessage = (e) => {
    if (e.source !== preview.contentWindow || e.data?.type !== "boxed-vs-packed:height") return;
    const h = Number(e.data.height);
    if (Number.isFinite(h) && h > 0) preview.style.height = `${Math.min(Math.ceil(h), 900)}px`;
  };
  window.addEventListener("message", onMessage);
  form.addEventListener("change", update);
  // (checked when the reader is done with the field, not at every keystroke of "1200")
  copyBtn.addEventListener("click", () =>
    copy(code.value, status, form.elements.kind.value === "iframe" ? "The iframe code" : "The element code"),
  );
  update();
  return {
    update,
    /** Stop listening for the preview's height (the widget is going away). */
    free: () => window.removeEventListener("message", onMessage),
  };
}
