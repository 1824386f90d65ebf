// The page: reads the state from the URL (a bad parameter falls back to its default with a
// note naming it), hands it to the embedded <boxed-vs-packed> as attributes, keeps the URL in
// step with it (back and forward work), and fills the story's live numbers.
import { DEFAULTS, isWasm32, readState, toParams } from "./widget/state.js";
import { ACC, formatBytes, formatCount } from "./widget/units.js";
import { wasm, wasmModule } from "./wasm.js";
import "./widget/element.js";

// The explorer is the page's first screen: compile the wasm now, and start the widget without
// waiting for it to be seen (an embedded one waits, in case it is far down a post).
wasmModule();

const widget = document.getElementById("explorer");
const note = document.querySelector(".url-note");
const PROFILE = {
  "wasm32-3.13": "Pyodide 0.29 (CPython 3.13 on wasm32)",
  "wasm32-3.14": "Pyodide 314 (CPython 3.14 on wasm32)",
};

const MODES = ["explore", "exercises"];
let classroom = null;

function fromUrl() {
  const params = new URLSearchParams(location.search);
  const { state, notes } = readState((k) => params.get(k));
  const mode = params.get("mode") ?? "explore";
  if (!MODES.includes(mode))
    notes.push(`mode=${mode.slice(0, 40)} ignored: allowed: exercises; using explore`);
  setMode(MODES.includes(mode) ? mode : "explore");
  note.hidden = notes.length === 0;
  note.textContent = notes.length ? `Some link parameters were not understood: ${notes.join("; ")}.` : "";
  return { state, given: [...params.keys()].filter((k) => k in DEFAULTS) };
}

// Only the parameters that were given and valid become attributes, exactly as a blog post
// embedding the widget would write them.
const initial = fromUrl();
for (const k of initial.given) widget.setAttribute(k, String(initial.state[k]));
widget.start();

let pushTimer = 0;
let restoring = false;
widget.addEventListener("change", (e) => {
  // The widget's own change event; a native one (composed, from inside it) carries no detail.
  if (!e.detail?.state) return;
  const { state } = e.detail;
  story(state);
  if (restoring) return;
  clearTimeout(pushTimer);
  // One history entry per settled change, not one per slider step.
  pushTimer = setTimeout(() => {
    const url = urlFor(state, document.body.dataset.mode);
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.pushState(null, "", url);
  }, 250);
});

window.addEventListener("popstate", () => {
  // A change not yet in the history (the 250 ms wait) is superseded by the page shown now.
  clearTimeout(pushTimer);
  const { state } = fromUrl();
  restoring = true;
  widget.setState(state);
  restoring = false;
});

/** This page's URL for a state and a mode (the exercises keep their #ex- anchor). */
function urlFor(state, mode) {
  const p = toParams(state);
  if (mode === "exercises") p.set("mode", "exercises");
  const q = p.toString();
  return `${location.pathname}${q ? `?${q}` : ""}${mode === "exercises" ? location.hash : ""}`;
}

/** Show the explorer with its story, or the exercises with the explorer. */
function setMode(mode) {
  document.body.dataset.mode = mode;
  for (const a of document.querySelectorAll(".tabs a"))
    if (a.dataset.mode === mode) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  const room = document.getElementById("classroom");
  room.hidden = mode !== "exercises";
  if (mode === "exercises" && !classroom) {
    room.textContent = "Loading the exercises…";
    classroom = Promise.all([import("./classroom/classroom.js"), wasm()]).then(([m, api]) => {
      const c = m.mountClassroom(room, {
        api,
        reveal(state) {
          widget.setState({ ...state, accounting: state.accounting ?? widget.state.accounting });
          widget.scrollIntoView({ block: "start" });
        },
      });
      c.focus(location.hash);
      return c;
    });
    classroom.catch((e) => {
      // The exercises could not load (a network failure, a broken instance): say so, once.
      room.textContent = `The exercises could not load (${e?.message ?? e}). Reload the page to try again.`;
      classroom = null;
    });
  }
}

for (const a of document.querySelectorAll(".tabs a")) {
  a.addEventListener("click", (e) => {
    e.preventDefault();
    setMode(a.dataset.mode);
    history.pushState(null, "", urlFor(widget.state, a.dataset.mode));
  });
}

const bind = (name, text) => {
  for (const node of document.querySelectorAll(`[data-bind="${name}"]`)) node.textContent = text;
};

async function story(state) {
  const api = await wasm();
  const base = { n: state.n, profile: state.profile };
  const list = api.layout({ ...base, container: "list_append", values: { kind: "int_range", start: 0 } });
  const arr = api.layout({
    ...base,
    container: "ndarray",
    dtype: "uint64",
    values: { kind: "constant", value: 0 },
  });
  const acc = ACC[state.accounting];
  const u = state.units;
  const find = (tree, prefix) => {
    const stack = [tree];
    while (stack.length) {
      const n = stack.pop();
      if (n.label.startsWith(prefix)) return n;
      stack.push(...n.children);
    }
    return null;
  };
  const ptrs = find(list.tree, "pointer array");
  const slack = find(list.tree, "over-allocated");
  const ints = list.tree.children.filter((c) => c.kind === "objects");
  const oneDigit = ints.find((c) => c.label.endsWith("1 digit"));
  const ptr = isWasm32(state.profile) ? 4 : 8;
  bind("n", formatCount(state.n));
  bind("profile", PROFILE[state.profile] ?? state.profile.replace("cpython-", "CPython "));
  bind("list-total", formatBytes(list.totals[acc], u));
  bind("array-total", formatBytes(arr.totals[acc], u));
  bind("ratio", arr.totals[acc] ? `${(list.totals[acc] / arr.totals[acc]).toFixed(1)}×` : "—");
  bind("list-header", `${list.tree.children[0].getsizeof} bytes`);
  bind("ptr", String(ptr));
  bind("slots", formatCount(list.container.capacity));
  bind("ptr-array", ptrs ? formatBytes(ptrs[acc], u) : "no array (n = 0)");
  bind("slack", slack ? `${formatCount(slack.requested)} bytes` : "0 bytes");
  bind("int-getsizeof", oneDigit ? String(oneDigit.getsizeof / oneDigit.count) : "28");
  bind("int-requested", oneDigit ? String(oneDigit.requested / oneDigit.count) : "32");
  bind(
    "ints",
    formatBytes(
      ints.reduce((a, c) => a + c[acc], 0),
      u,
    ),
  );
  bind("nd-header", String(arr.tree.children[0].requested));
  bind("array-per", arr.perElement ? arr.perElement[acc].toFixed(2) : "—");
  bind("list-per", list.perElement ? list.perElement[acc].toFixed(2) : "—");
  bind("getsizeof", `${formatCount(list.container.getsizeof)} bytes`);
  bind("getsizeof-total", `${formatCount(list.totals.getsizeof)} bytes`);
  bind("shared", formatCount(Math.min(state.n, 257)));
  bind("requested", `${formatCount(list.totals.requested)} bytes`);
  bind("allocated", `${formatCount(list.totals.allocated)} bytes`);
  if (document.body.dataset.ready !== "true") performance.mark("bvp:story-ready");
  document.body.dataset.ready = "true";
}
