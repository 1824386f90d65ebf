// The Python behind the numbers: the statements that build x for the current scenario, and a
// self-contained script that prints sys.getsizeof and tracemalloc on the reader's own machine,
// next to the model's prediction. Both copyable.
import { copy, el, nextId } from "../widget/kit.js";

function copyButton(label, what, getText, status) {
  const b = el("button", { type: "button", text: label });
  b.addEventListener("click", () => copy(getText(), status, what));
  return b;
}

/**
 * A list display written out, `x = [v0, v1, …]`, shortened to its first `keep` items and its
 * last ("x = [0, 1, 2, …, 9999]") with its item count; null for any other line.
 */
export function shortDisplay(line, keep) {
  const m = /^x = \[(.*)\]$/.exec(line);
  if (!m) return null;
  const items = m[1].split(", ");
  return {
    text: `x = [${items.slice(0, keep).join(", ")}, …, ${items[items.length - 1]}]`,
    count: items.length,
  };
}

/**
 * A list literal of thousands of items is shown with its first items and its last, and says
 * so; the copy buttons and the check script keep every item.
 */
function shownCode(code) {
  return code
    .split("\n")
    .map((line) => {
      const short = line.length > 200 && shortDisplay(line, 8);
      return short
        ? `${short.text}  # ${short.count.toLocaleString("en-US")} items, all of them in the copied code`
        : line;
    })
    .join("\n");
}

export function codePanel(host) {
  const id = nextId("code");
  let full = "";
  const build = el("code", {});
  const check = el("code", {});
  const status = el("p", { class: "sr", "aria-live": "polite" });
  const section = el(
    "section",
    { class: "panel code", "aria-labelledby": `${id}-h` },
    el("h3", { id: `${id}-h`, text: "The Python" }),
    el("p", { class: "lede", text: "What this scenario runs, in Python:" }),
    el("pre", { tabIndex: 0, "aria-label": "Python code of the scenario" }, build),
    el("p", {
      class: "lede",
      text: "Check the numbers on your own machine (CPython, with NumPy for ndarrays):",
    }),
    el(
      "div",
      { class: "toolbar" },
      copyButton("Copy the code", "The code", () => full, status),
      copyButton("Copy the check script", "The check script", () => check.textContent, status),
    ),
    el("pre", { tabIndex: 0, "aria-label": "Python script that checks the numbers" }, check),
    status,
  );
  return {
    section,
    canvases: [],
    draw() {
      const s = host.scenario();
      full = host.api.pythonCode(s);
      build.textContent = shownCode(full);
      check.textContent = host.api.checkSnippet(s);
    },
  };
}
