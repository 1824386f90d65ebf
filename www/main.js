// The page: reads the state from the URL (a bad parameter falls back to its default with a
// note naming it), hands it to the embedded <boxed-vs-packed> as attributes, keeps the URL in
// step with it (back and forward work), and fills the story's live numbers.
import { DEFAULTS, compareStateOf, readState, resolveState, scenarioOf, toParams } from "./widget/state.js";
import { ARTICLE, tell } from "./page/story.js";
import { wasm, wasmModule } from "./wasm.js";
import "./widget/element.js";

// The explorer is the page's first screen: compile the wasm now, and start the widget without
// waiting for it to be seen (an embedded one waits, in case it is far down a post).
wasmModule();

const widget = document.getElementById("explorer");
const note = document.querySelector(".url-note");

const motion = () => (matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");

// In the exercises, the explorer must not give an answer away: it stays hidden until the reader
// asks for it or reveals an answer, and it hides again whenever it shows the scenario of the
// exercise being worked on, until that one is solved or revealed.
let explorerWanted = false;
let openExercise = null;
const gateBox = document.getElementById("gate");
const gateText = document.getElementById("gate-text");
// Any scenario can give an answer away (a comparison, a table, another accounting), so the
// explorer stays hidden the whole time an exercise is open and neither solved nor revealed.
const working = (ex) => !!ex && !ex.done();
const gateButton = document.getElementById("gate-open");

function gate() {
  const exercises = document.body.dataset.mode === "exercises";
  const hide = exercises && (!explorerWanted || working(openExercise));
  widget.hidden = hide;
  gateBox.hidden = !hide;
  if (!hide) return;
  if (working(openExercise)) {
    gateText.textContent = `The explorer is hidden while exercise ${openExercise.number}, "${openExercise.title}", is open: it could give the answer away. Check your answer or reveal it, and the explorer comes back with its scenario.`;
    gateButton.textContent = `Put exercise ${openExercise.number} aside and open the explorer`;
  } else {
    gateText.textContent =
      "The explorer is hidden while you work, so that it does not give an answer away. Reveal an answer to see its scenario there, or open the explorer to try your own.";
    gateButton.textContent = "Show the explorer anyway";
  }
}

gateButton.addEventListener("click", () => {
  // Explore on purpose: the open exercise is put aside (working on it again hides the explorer).
  explorerWanted = true;
  openExercise = null;
  gate();
  widget.shadowRoot.querySelector("input")?.focus();
});

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
  story(e.detail);
  gate();
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
  gate();
  if (mode === "exercises" && !classroom) {
    room.textContent = "Loading the exercises…";
    classroom = Promise.all([import("./classroom/classroom.js"), wasm()]).then(([m, api]) => {
      const c = m.mountClassroom(room, {
        api,
        reveal(state) {
          explorerWanted = true;
          widget.setState({ ...state, accounting: state.accounting ?? widget.state.accounting });
          gate();
          widget.scrollIntoView({ block: "start", behavior: motion() });
        },
        open(ex) {
          openExercise = ex;
          gate();
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

// The article's own figure, one click away: its program, counted as it counted.
document.getElementById("as-article").addEventListener("click", () => {
  // The article measured 64-bit CPython: from Pyodide, the page's default Python.
  widget.setState({
    ...ARTICLE,
    ...(widget.state.profile.startsWith("wasm32") ? { profile: DEFAULTS.profile } : {}),
  });
  // The button goes once shown: focus moves to the paragraph that now says so.
  document.getElementById("why-35").focus({ preventScroll: true });
  widget.scrollIntoView({
    block: "start",
    behavior: motion(),
  });
});

// The article's program on each Python, computed once per Python (not at every slider step).
const articles = new Map();
const articleOn = (api, profile) => {
  if (!articles.has(profile))
    articles.set(
      profile,
      api.layout({
        n: ARTICLE.n,
        container: ARTICLE.container,
        values: { kind: "int_range", start: 0 },
        profile,
      }),
    );
  return articles.get(profile);
};

/** The prose follows the explorer: the same scenario, Python, accounting and units. */
async function story(e) {
  const { state, layout, compare } = e;
  const api = await wasm();
  const article = articleOn(api, state.profile);
  // The story contrasts boxed with packed on the same Python and the same numbers, whatever the
  // widget is compared with (another Python, another type whose values had to change): the
  // usual comparison, which is the widget's own when it compares automatically.
  let other = compare;
  if (state.compare !== DEFAULTS.compare)
    try {
      other = api.layout(scenarioOf(resolveState(api, compareStateOf({ ...state, compare: "auto" })).state));
    } catch {
      // the comparison shown is still a true figure
    }
  tell(document, state, layout, other, article, api.pythonCode(e.scenario));
  if (document.body.dataset.ready !== "true") performance.mark("bvp:story-ready");
  document.body.dataset.ready = "true";
}
