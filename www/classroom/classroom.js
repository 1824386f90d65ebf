// Classroom mode: the exercises as a list of cards. Each takes an answer with its unit, checks
// it against the model within the stated tolerance, offers up to two hints, and reveals the
// exact answer, setting the explorer to that scenario. Progress stays in this browser
// (localStorage, with a reset); every exercise has its own link; printing gives a worksheet
// with an answer key on its own page. Loaded only when the Exercises tab is opened.
import { el } from "../widget/kit.js";
import { exactBytes, labelledBytes } from "../widget/units.js";
import { EXERCISES } from "./exercises.js";
import { UNITS, decimalSeparator, readAnswer } from "./answer.js";

const KEY = "boxed-vs-packed:exercises";

/**
 * One exercise's progress, from whatever storage held: only known fields of the right type
 * survive ({ solved, revealed, hints }), anything else reads as no progress.
 */
function clean(p) {
  if (!p || typeof p !== "object" || Array.isArray(p)) return {};
  const out = {};
  if (p.solved === true) out.solved = true;
  if (p.revealed === true) out.revealed = true;
  if (Number.isInteger(p.hints) && p.hints > 0) out.hints = Math.min(p.hints, 2);
  return out;
}

/**
 * Progress, kept in memory and saved to localStorage when the browser allows it. Storage that
 * is disabled, full or holds something else (an old format, a hand edit) costs the saving,
 * never the exercises: they work for this visit.
 */
function store() {
  let all = {};
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    for (const ex of EXERCISES) {
      const p = clean(stored?.[ex.id]);
      if (Object.keys(p).length) all[ex.id] = p;
    }
  } catch {
    // unreadable or malformed: start afresh
  }
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch {
      // storage disabled or full: the progress stays for this visit
    }
  };
  return {
    get: (id) => all[id] ?? {},
    set(id, patch) {
      all = { ...all, [id]: clean({ ...all[id], ...patch }) };
      save();
    },
    reset() {
      all = {};
      try {
        localStorage.removeItem(KEY);
      } catch {
        // nothing stored
      }
    },
    solved: () => Object.values(all).filter((p) => p.solved).length,
  };
}

const show = (ex, v) =>
  ex.unit === "ratio"
    ? `${v.toFixed(2)}×`
    : v < 1000
      ? exactBytes(v)
      : `${exactBytes(v)} = ${labelledBytes(v, "si")}`;

/**
 * Mount the exercises into `root`. `reveal(state)` shows a scenario in the explorer;
 * `open(exercise)` is told which exercise the reader is working on (its `state`, its number, and
 * `done()`: solved or revealed), so the page can keep the explorer from showing its answer.
 */
export function mountClassroom(root, { api, reveal, open = () => {} }) {
  const progress = store();
  const decimal = decimalSeparator(navigator.language);
  const count = el("span", { role: "status" });
  const resetBtn = el("button", { type: "button", text: "Reset progress" });
  const printBtn = el("button", { type: "button", text: "Print a worksheet" });
  const list = el("ol", { class: "exercises" });
  const key = el("ol", {});
  const cards = new Map();

  const updateCount = () => {
    count.textContent = `${progress.solved()} of ${EXERCISES.length} solved.`;
  };

  EXERCISES.forEach((ex, i) => {
    const answer = ex.answer(api);
    const id = `ex-${ex.id}`;
    const input = el("input", { type: "text", inputMode: "decimal", id: `${id}-in`, autocomplete: "off" });
    const unit =
      ex.unit === "ratio"
        ? el("span", { class: "unit", text: "×" })
        : el(
            "select",
            { "aria-label": "unit" },
            ...UNITS.map(([u]) => el("option", { value: u, text: u, selected: u === ex.ask })),
          );
    const feedback = el("p", { class: "feedback", role: "status", "aria-live": "polite" });
    const done = () => !!(progress.get(ex.id).solved || progress.get(ex.id).revealed);
    const opened = { number: i + 1, title: ex.title, state: ex.state, done };
    const hints = el("ol", { class: "hints" });
    const hintBtn = el("button", { type: "button" });
    const revealBtn = el("button", { type: "button", text: "Reveal the answer" });
    const answerBox = el("div", { class: "answer", hidden: true });
    const form = el(
      "form",
      { class: "answer-form" },
      el("label", { for: input.id, text: "Your answer" }),
      input,
      unit,
      el("button", { type: "submit", text: "Check" }),
    );
    const card = el(
      "li",
      { id, class: "exercise" },
      el(
        "h3",
        {},
        el("a", { href: `?mode=exercises#${id}`, text: `${i + 1}. ${ex.title}` }),
        el("span", { class: `level ${ex.level}`, text: ex.level }),
      ),
      el("p", { class: "question", text: ex.question }),
      form,
      el("p", {
        class: "tolerance",
        text: `Checked against the model, within ±${(ex.tolerance * 100).toFixed(0)}%.`,
      }),
      feedback,
      hints,
      el("div", { class: "ex-actions" }, hintBtn, revealBtn),
      answerBox,
      el("div", { class: "print-space", "aria-hidden": "true" }),
    );
    list.append(card);
    key.append(
      // "How many times as much? 4.40×", not "How many times as much?: 4.40×".
      el(
        "li",
        {},
        el("strong", { text: /[?!.]$/.test(ex.title) ? `${ex.title} ` : `${ex.title}: ` }),
        `${show(ex, answer)}. ${ex.explain(api)}`,
      ),
    );

    const paint = () => {
      const p = progress.get(ex.id);
      const shown = Math.min(p.hints ?? 0, ex.hints.length);
      hints.replaceChildren(...ex.hints.slice(0, shown).map((h) => el("li", { text: h })));
      hintBtn.textContent =
        shown < ex.hints.length ? `Hint (${shown + 1} of ${ex.hints.length})` : "No more hints";
      hintBtn.disabled = shown >= ex.hints.length;
      card.dataset.solved = String(!!p.solved);
      answerBox.hidden = !p.revealed;
      if (p.revealed)
        answerBox.replaceChildren(
          el("p", {}, el("strong", { text: "Answer: " }), `${show(ex, answer)}. ${ex.explain(api)}`),
          el("p", { class: "lede", text: "The explorer now shows this scenario." }),
        );
    };
    cards.set(ex.id, paint);
    paint();

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const read = readAnswer(input.value, { ratio: ex.unit === "ratio", decimal });
      if (read.error) {
        feedback.textContent = `${read.error}.`;
        feedback.className = "feedback bad";
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      // A unit typed with the number wins, and the menu shows it.
      if (read.unit) unit.value = read.unit;
      const v = read.value;
      const given = ex.unit === "ratio" ? v : v * UNITS.find(([u]) => u === unit.value)[1];
      const as = ex.unit === "ratio" ? `${v}×` : `${v} ${unit.value}`;
      const off = (given - answer) / answer;
      if (Math.abs(off) <= ex.tolerance) {
        feedback.textContent = `Right: read as ${as}; the model says ${show(ex, answer)}; yours is within ${(Math.abs(off) * 100).toFixed(1)}%.`;
        feedback.className = "feedback ok";
        progress.set(ex.id, { solved: true });
        updateCount();
        open(opened);
      } else {
        const shown = progress.get(ex.id).hints ?? 0;
        feedback.textContent = `Not yet: read as ${as}, that is ${(Math.abs(off) * 100).toFixed(0)}% ${off < 0 ? "below" : "above"} the model's figure.${
          shown < ex.hints.length ? " A hint may help." : ""
        }`;
        feedback.className = "feedback bad";
      }
      paint();
    });
    hintBtn.addEventListener("click", () => {
      progress.set(ex.id, { hints: (progress.get(ex.id).hints ?? 0) + 1 });
      paint();
    });
    revealBtn.addEventListener("click", () => {
      progress.set(ex.id, { revealed: true });
      paint();
      open(opened);
      reveal(ex.state);
    });
    // Working on an exercise (focus anywhere in its card) opens it.
    card.addEventListener("focusin", () => open(opened));
    card.opened = opened;
  });

  resetBtn.addEventListener("click", () => {
    progress.reset();
    for (const paint of cards.values()) paint();
    for (const f of list.querySelectorAll(".feedback")) f.textContent = "";
    updateCount();
    open(null);
  });
  printBtn.addEventListener("click", () => window.print());
  updateCount();

  root.replaceChildren(
    el("h2", { id: "exercises-h", text: "Exercises" }),
    el("p", {
      class: "hint",
      text: "Predict first, then check: every answer is computed by the same model as the explorer. Type the number with its unit (40.4 MB, 36 B) or pick the unit. Hints cost nothing; the explorer below stays out of the way while you work on an exercise, and the reveal shows its scenario there. Progress stays in this browser.",
    }),
    el("p", { class: "ex-progress" }, count, " ", resetBtn, " ", printBtn),
    list,
    el(
      "section",
      { class: "answer-key", "aria-labelledby": "key-h" },
      el("h2", { id: "key-h", text: "Answer key" }),
      key,
    ),
  );
  return {
    /** Scroll to the exercise a link names (#ex-...). */
    focus(hash) {
      const card = hash && root.querySelector(`#${CSS.escape(hash.slice(1))}`);
      if (card) {
        card.scrollIntoView();
        card.querySelector("a")?.focus();
        if (card.opened) open(card.opened);
      }
    },
    count: EXERCISES.length,
  };
}
