// The object diagram's panel shell, in the first bundle: a heading and an empty body. The
// diagram itself (panels/diagram.js, its own chunk) is imported the first time the panel comes
// into view, so it costs nothing at first render.
import { el, nextId } from "../widget/kit.js";

export function diagramPanel(host) {
  const id = nextId("diagram");
  const body = el(
    "div",
    { class: "diagram-body" },
    el("p", { class: "loading", text: "Drawing the objects…" }),
  );
  const section = el(
    "section",
    { class: "panel diagram", "aria-labelledby": `${id}-h` },
    el("h3", { id: `${id}-h`, text: "The objects, drawn" }),
    el("p", {
      class: "lede",
      text: "Every block x is made of, field by field, for up to 12 elements: hover, tap or focus a field (arrow keys move) for its bytes and its C struct member.",
    }),
    body,
  );
  let mod = null;
  let wanted = false;
  let seen = false;
  const show = () => {
    if (!mod || !wanted) return;
    wanted = false;
    try {
      mod.drawDiagram(host, body);
    } catch (e) {
      body.replaceChildren(
        el("p", {
          class: "note",
          role: "alert",
          text: `The diagram could not be drawn (${e?.message ?? e}).`,
        }),
      );
    }
  };
  const load = () => {
    import("./diagram.js")
      .then((m) => {
        mod = m;
        show();
      })
      .catch((e) => {
        body.replaceChildren(
          el("p", {
            class: "note",
            role: "alert",
            text: `The diagram could not be loaded (${e?.message ?? e}).`,
          }),
        );
      });
  };
  const visible = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      visible.disconnect();
      seen = true;
      load();
    }
  });
  visible.observe(section);
  return {
    section,
    draw() {
      wanted = true;
      if (seen) show();
    },
  };
}
