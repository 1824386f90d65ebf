// <boxed-vs-packed>: the explorer as a custom element. One <script type="module"> loads it;
// attributes choose the scenario and the panels; a shadow root keeps the host page's CSS out.
// It starts work when scrolled into view, follows attribute changes, redraws in one coalesced
// animation frame, and frees its wasm handle when removed. Used by index.html and embed.html.
import { codePanel } from "../panels/code.js";
import { diagramPanel } from "../panels/diagram-panel.js";
import { flamePanel } from "../panels/flame.js";
import { heapPanel } from "../panels/heap.js";
import { el, nextId } from "./kit.js";
import { barsPanel, seriesPanel } from "../panels/plots.js";
import { shareBar } from "./share.js";
import {
  CHOICES,
  DEFAULTS,
  MAX_N,
  NUMPY_121_PROFILES,
  COMPARE_FIELDS,
  compareStateOf,
  formatCompare,
  formatValues,
  parseCompare,
  parseValues,
  readState,
  resolveState,
  scenarioOf,
} from "./state.js";
import { ACC, ACC_LABEL, exactBytes, formatBytes, formatCount } from "./units.js";
import { wasm } from "../wasm.js";
import { styleSheet } from "./css.js";

const STATE_ATTRS = Object.keys(DEFAULTS);
const darkQuery = () => window.matchMedia?.("(prefers-color-scheme: dark)");

const select = (name, label, choices, id = nextId(name)) =>
  el(
    "div",
    { class: `field ${name}` },
    el("label", { for: id, text: label }),
    el("select", { id, name }, ...choices.map(([v, t]) => el("option", { value: v, text: t }))),
  );

const radios = (name, label, choices) =>
  el(
    "fieldset",
    { class: "choice" },
    el("legend", { text: label }),
    ...choices.map(([v, t]) => el("label", {}, el("input", { type: "radio", name, value: v }), t)),
  );

export class BoxedVsPacked extends HTMLElement {
  static observedAttributes = [...STATE_ATTRS, "compact", "theme"];

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.adoptedStyleSheets = [styleSheet()];
    // dir: the widget reads left to right (numbers, code, charts) whatever the host page's direction.
    this.root = el(
      "div",
      { class: "bvp", dir: "ltr" },
      el("p", { class: "loading", text: "Loading the memory model…" }),
    );
    this.shadowRoot.append(this.root);
    this.state = { ...DEFAULTS };
    this.notes = [];
    this.dirty = new Set();
    this.frame = 0;
    this.started = null;
  }

  connectedCallback() {
    this.readAttributes();
    this.applyTheme();
    // Start only when on screen: a post with several widgets pays for the ones read.
    this.visibility = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.visibility.disconnect();
        this.start();
      }
    });
    this.visibility.observe(this);
  }

  disconnectedCallback() {
    this.visibility?.disconnect();
    this.resize?.disconnect();
    this.themeQuery?.removeEventListener("change", this.onTheme);
    cancelAnimationFrame(this.frame);
    this.panels?.heap?.lab.destroy();
    this.share?.free();
    this.explorer?.free();
    this.explorer = null;
    this.started = null;
  }

  attributeChangedCallback(name) {
    if (name === "theme") {
      this.applyTheme();
      if (this.noteEl) this.showNotes(this.shownNotes ?? this.notes);
    }
    if (!this.explorer) return;
    if (STATE_ATTRS.includes(name)) {
      this.readAttributes();
      this.update();
    } else this.invalidate("all");
  }

  readAttributes() {
    const { state, notes } = readState((n) => this.getAttribute(n));
    this.state = state;
    this.notes = notes;
  }

  /**
   * The current state, and a way to change parts of it (the page uses both). A part is checked
   * as an attribute would be: a bad one keeps its current value and says so in the notes.
   */
  setState(partial, notes = []) {
    const { state, notes: bad } = readState((k) => partial[k] ?? null, this.state);
    const unknown = Object.keys(partial).filter((k) => !(k in DEFAULTS));
    this.state = state;
    this.notes = [
      ...notes,
      ...bad,
      ...unknown.map((k) => `${String(k).slice(0, 40)} ignored: not a setting`),
    ];
    if (this.explorer) this.update();
  }

  /** The scenario drawn (the panels describe it, whatever the controls are being changed to). */
  scenario() {
    return this.drawn ?? scenarioOf(this.state);
  }

  get dark() {
    return this.root.dataset.theme === "dark";
  }

  applyTheme() {
    // Light unless asked: a reader in dark mode should not get a black box on a light blog.
    const t = this.getAttribute("theme") ?? "light";
    if (!this.onTheme) this.onTheme = () => this.applyTheme();
    if (!this.themeQuery) {
      this.themeQuery = darkQuery();
      this.themeQuery?.addEventListener("change", this.onTheme);
    }
    const dark = t === "dark" || (t === "auto" && !!this.themeQuery?.matches);
    // Kept apart from the scenario's notes: those are re-read with every attribute change.
    this.themeNote = ["auto", "light", "dark"].includes(t)
      ? null
      : `theme=${t.slice(0, 40)} ignored: allowed: light, dark, auto; using light`;
    this.root.dataset.theme = dark ? "dark" : "light";
    this.invalidate("all");
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  start() {
    if (this.started) return this.started;
    const run = (async () => {
      try {
        this.api = await wasm();
        // Removed meanwhile, or removed and added again (which started another run): stop here.
        if (!this.isConnected || this.started !== run) return;
        this.explorer = new this.api.Explorer();
        this.readAttributes();
        this.build();
        this.update();
        // Redraw when the width changes (not on the observer's first, initial call).
        this.resize = new ResizeObserver(([e]) => {
          const w = Math.round(e.contentRect.width);
          if (this.lastWidth !== undefined && w !== this.lastWidth) this.invalidate("all");
          this.lastWidth = w;
        });
        this.resize.observe(this.root);
      } catch (e) {
        this.root.replaceChildren(
          el("p", { class: "note", role: "alert", text: `The explorer could not start: ${e.message}` }),
        );
      }
    })();
    this.started = run;
    return run;
  }

  build() {
    const n = el("input", {
      type: "range",
      min: 0,
      max: 900,
      step: 1,
      id: nextId("n"),
      "aria-label": "n, on a log scale",
    });
    const nExact = el("input", {
      type: "number",
      min: 0,
      max: MAX_N,
      step: 1,
      inputMode: "numeric",
      "aria-label": "n, exactly",
    });
    const nLabel = el("label", { for: n.id, text: "n, the number of elements" });
    const valueKind = select("valueKind", "values", CHOICES.valueKind);
    // Text, not type=number: a number input holds a double, and ints past 2**53 must stay exact.
    const valueNum = el("input", {
      type: "text",
      name: "valueNum",
      inputMode: "decimal",
      spellcheck: false,
      autocomplete: "off",
      id: nextId("value"),
    });
    this.valueLabel = el("label", { for: valueNum.id, text: "start" });
    const valueField = el("div", { class: "field valueNum" }, this.valueLabel, valueNum);
    // int_offset's second number: base + i for i from start.
    const offsetStart = el("input", {
      type: "text",
      name: "offsetStart",
      inputMode: "decimal",
      spellcheck: false,
      autocomplete: "off",
      id: nextId("offset-start"),
    });
    const offsetField = el(
      "div",
      { class: "field offsetStart" },
      el("label", { for: offsetStart.id, text: "i from (base + i)" }),
      offsetStart,
    );
    // Issue 13's forms: built from a list; an ndarray's shape; a view base[::step].
    const shape = el("input", {
      type: "text",
      name: "shape",
      spellcheck: false,
      autocomplete: "off",
      placeholder: "e.g. 1000, 1000",
      id: nextId("shape"),
    });
    const view = el("input", {
      type: "text",
      name: "view",
      inputMode: "numeric",
      spellcheck: false,
      autocomplete: "off",
      placeholder: "e.g. 2",
      id: nextId("view"),
    });
    const shapeField = el(
      "div",
      { class: "field shape" },
      el("label", { for: shape.id, text: "shape (reshape)" }),
      shape,
    );
    const viewField = el(
      "div",
      { class: "field view" },
      el("label", { for: view.id, text: "view step (base[::step])" }),
      view,
    );
    this.controls = el(
      "form",
      { class: "controls", "aria-label": "what to build" },
      el("div", { class: "n" }, nLabel, n, nExact),
      select("container", "container", CHOICES.container),
      select("typecode", "array typecode", CHOICES.typecode),
      select("dtype", "ndarray dtype", CHOICES.dtype),
      select("numpy", "NumPy", CHOICES.numpy),
      valueKind,
      valueField,
      offsetField,
      select("source", "built from", CHOICES.source),
      shapeField,
      viewField,
      select("profile", "Python", CHOICES.profile),
      radios("accounting", "count bytes as", CHOICES.accounting),
      select("units", "units", CHOICES.units),
    );
    this.controls.addEventListener("submit", (e) => e.preventDefault());
    this.nSlider = n;
    this.nExact = nExact;
    this.noteEl = el("p", { class: "note", role: "status", "aria-live": "polite" });
    this.headline = el("p", { class: "headline", "aria-live": "polite" });
    this.panels = {
      flame: flamePanel(this),
      diagram: diagramPanel(this),
      series: seriesPanel(this),
      bars: barsPanel(this),
      heap: heapPanel(this),
      code: codePanel(this),
    };
    this.share = shareBar(this);
    this.root.replaceChildren(
      this.controls,
      this.noteEl,
      this.headline,
      this.share.section,
      ...Object.values(this.panels).map((p) => p.section),
    );
    this.headline.after(this.compareBar());
    const f = this.controls.elements;
    n.addEventListener("input", () => this.setState({ n: Math.round(10 ** (n.value / 100)) }));
    nExact.addEventListener("change", () => {
      // An empty field is not n = 0 (Number("") is 0): it is asked again.
      const v = nExact.value.trim() === "" ? NaN : Number(nExact.value);
      if (Number.isInteger(v) && v >= 0 && v <= MAX_N) this.setState({ n: v });
      else this.showNotes([`n must be a whole number from 0 to ${formatCount(MAX_N)}`], nExact);
    });
    for (const name of ["container", "typecode", "dtype", "numpy", "profile", "units", "source"]) {
      f[name].addEventListener("change", () => {
        const { change, notes } = this.adjust({ [name]: f[name].value });
        this.setState(change, notes);
      });
    }
    for (const r of f.accounting) r.addEventListener("change", () => this.setState({ accounting: r.value }));
    const values = () => {
      const kind = f.valueKind.value;
      // The digits as typed (a string keeps 1152921504606846977 exact); empty means the kind's
      // usual first value.
      const typed = valueNum.value.trim().replace(/[_,\s]/g, "");
      const first = { int_mod: "100", int_offset: "1099511627776" }[kind] ?? "0";
      const num = typed === "" || (kind === "int_offset") !== this.offsetShown ? first : typed;
      const from = offsetStart.value.trim().replace(/[_,\s]/g, "") || "0";
      try {
        const text = kind === "int_offset" ? `${kind}:${num}:${from}` : `${kind}:${num}`;
        parseValues(text);
        this.setState({ values: text });
      } catch (e) {
        this.showNotes([`values: ${e.message}`], valueNum);
      }
    };
    f.valueKind.addEventListener("change", values);
    valueNum.addEventListener("change", values);
    offsetStart.addEventListener("change", values);
    // A shape or a step is checked as an attribute would be (readState names a bad one).
    shape.addEventListener("change", () => this.setState({ shape: shape.value.trim() }));
    view.addEventListener("change", () => this.setState({ view: view.value.trim() }));
  }

  /**
   * A choice made in the controls wins over the fields it conflicts with: choosing NumPy 1.21
   * moves Python to 3.10 (it installs on 3.8 to 3.10 only). Every other conflict is resolved
   * by update(), where the values and NumPy give way.
   */
  adjust(change) {
    const notes = [];
    const next = { ...this.state, ...change };
    if (next.numpy === "1.21" && !NUMPY_121_PROFILES.includes(next.profile)) {
      if (change.numpy) {
        notes.push("NumPy 1.21 installs on CPython 3.8 to 3.10 only: Python set to CPython 3.10");
        change = { ...change, profile: "cpython-3.10" };
      } else {
        notes.push(`NumPy 1.21 does not install on ${next.profile}: NumPy set to 1.22 and later`);
        change = { ...change, numpy: "2" };
      }
    }
    return { change, notes };
  }

  showNotes(notes, invalid = null) {
    this.shownNotes = notes;
    // Python's own warnings about the scenario drawn stay while it is drawn.
    const warnings = this.layout?.warnings?.map((w) => `⚠ ${w}`) ?? [];
    this.noteEl.textContent = [...notes, this.themeNote, ...warnings].filter(Boolean).join(" · ");
    for (const c of this.controls.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    invalid?.setAttribute("aria-invalid", "true");
  }

  syncControls() {
    const s = this.state;
    const f = this.controls.elements;
    this.nSlider.value = Math.round(100 * Math.log10(Math.max(s.n, 1)));
    this.nSlider.setAttribute("aria-valuetext", formatCount(s.n));
    this.nExact.value = s.n;
    for (const name of ["container", "typecode", "dtype", "numpy", "profile", "units"])
      f[name].value = s[name];
    for (const r of f.accounting) r.checked = r.value === s.accounting;
    const v = parseValues(s.values);
    f.valueKind.value = v.kind;
    // The number as the state writes it ("2.0" stays a float, big ints stay exact).
    const [, num, from] = s.values.split(":");
    f.valueNum.value = num;
    this.offsetShown = v.kind === "int_offset";
    f.offsetStart.value = from ?? "0";
    f.offsetStart.closest(".field").hidden = !this.offsetShown;
    this.valueLabel.textContent =
      { int_mod: "k (values 0 … k-1)", constant: "the value", int_offset: "base (values base + i)" }[
        v.kind
      ] ?? "start";
    f.source.value = s.source;
    f.source.closest(".field").hidden = !["list_range", "tuple", "array", "ndarray"].includes(s.container);
    f.shape.value = s.shape.replaceAll(",", ", ");
    f.view.value = s.view;
    f.shape.closest(".field").hidden = s.container !== "ndarray";
    f.view.closest(".field").hidden = s.container !== "ndarray";
    f.typecode.closest(".field").hidden = s.container !== "array";
    f.dtype.closest(".field").hidden = s.container !== "ndarray";
    f.numpy.closest(".field").hidden = s.container !== "ndarray";
    const shown = new Set(s.panels.split(","));
    const map = {
      flame: "flame",
      diagram: "diagram",
      series: "series",
      bars: "bars",
      heap: "lab",
      code: "code",
    };
    for (const [k, p] of Object.entries(this.panels)) p.section.hidden = !shown.has(map[k]);
  }

  /**
   * Recompute the layout for the state. A combination Python refuses is resolved to the nearest
   * valid scenario (resolveScenario: the values and NumPy give way), and the state, the controls
   * and a note follow what is drawn. A field bad on its own falls back to its default.
   */
  update() {
    let scenario;
    try {
      // Each change comes in the state's own notation (values as "int_mod:128").
      const resolved = resolveState(this.api, this.state);
      this.state = resolved.state;
      this.notes.push(...resolved.notes);
      scenario = scenarioOf(this.state);
      this.layout = this.explorer.setScenario(scenario);
    } catch (e) {
      // The message names the field: fall back to its default so the widget keeps working.
      const field = /^(\w+)/.exec(e.message)?.[1];
      const key = [
        "values",
        "typecode",
        "dtype",
        "numpy",
        "n",
        "profile",
        "container",
        "source",
        "shape",
        "view",
      ].includes(field)
        ? field
        : null;
      // The value drawn last, if there is one (a typed value Rust refuses keeps the reader's
      // scenario), else the default.
      const back = this.drawnState?.[key] ?? DEFAULTS[key];
      if (key && this.state[key] !== back) {
        this.notes.push(`${e.message}; ${key} kept at ${back}`);
        this.state = { ...this.state, [key]: back };
        return this.update();
      }
      this.notes.push(e.message);
      if (!this.drawn && this.state !== DEFAULTS) {
        // Nothing drawn yet: the defaults always draw.
        this.state = { ...DEFAULTS, panels: this.state.panels };
        return this.update();
      }
      this.syncControls();
      this.showNotes(this.notes);
      return;
    }
    this.drawn = scenario;
    this.drawnState = { ...this.state };
    this.compare = this.setCompare();
    this.names = this.explorer.names();
    this.syncControls();
    this.compareUi?.sync();
    this.showNotes(this.notes);
    this.notes = [];
    this.panels.flame.setLayout(this.layout);
    this.share.update();
    this.invalidate("model");
    this.emit("change", {
      state: { ...this.state },
      scenario,
      layout: this.layout,
      compare: this.compare,
      values: formatValues(parseValues(this.state.values)),
    });
  }

  invalidate(what) {
    if (what === "all")
      for (const k of ["flame", "series", "bars", "heap", "code", "diagram"]) this.dirty.add(k);
    else if (what === "model")
      for (const k of ["flame", "bars", "code", "mark", "diagram"]) this.dirty.add(k);
    else this.dirty.add(what);
    if (this.seriesKey() !== this.lastSeriesKey) this.dirty.add("series");
    if (!this.frame && this.explorer) this.frame = requestAnimationFrame(() => this.render());
  }

  render() {
    this.frame = 0;
    if (!this.explorer || !this.layout) return;
    const d = this.dirty;
    this.dirty = new Set();
    const shown = (k) => !this.panels[k].section.hidden;
    // One layout read for every panel (they share the content width), then only writes.
    const width = this.controls.clientWidth;
    for (const k of ["flame", "bars", "heap", "code", "diagram"])
      if (d.has(k) && shown(k)) this.guard(k, () => this.panels[k].draw(width));
    if (d.has("series") && shown("series")) {
      this.guard("series", () => this.panels.series.draw(width));
      this.lastSeriesKey = this.seriesKey();
    } else if (d.has("mark") && shown("series")) this.guard("series", () => this.panels.series.mark());
    this.renderHeadline();
    const count = Number(this.root.dataset.rendered ?? 0) + 1;
    this.root.dataset.rendered = String(count);
    // For the benchmarks and anyone's devtools: when the first complete picture was drawn.
    if (count === 1) performance.mark("bvp:first-render");
    this.emit("render", {});
  }

  /** glibc's range for the allocator figure, in the units shown, or exact when they round alike. */
  rangeNote() {
    const [lo, hi] = this.layout.allocatedRange;
    let [a, b] = [formatBytes(lo, this.state.units), formatBytes(hi, this.state.units)];
    if (a === b) [a, b] = [exactBytes(lo), exactBytes(hi)];
    return el("span", {
      class: "range",
      text: ` (in a fresh program; ${a} to ${b} as glibc's mmap threshold moves)`,
    });
  }

  /**
   * Draw one panel; if it fails (a canvas without a 2D context, a browser without some API),
   * that panel says so and the rest of the widget goes on.
   */
  guard(k, draw) {
    const section = this.panels[k].section;
    let msg = section.querySelector(":scope > .panel-error");
    try {
      draw();
      msg?.remove();
    } catch (e) {
      msg ??= el("p", { class: "panel-error note", role: "alert" });
      msg.textContent = `This panel could not be drawn (${e?.message ?? e}); the rest of the explorer works.`;
      section.querySelector(":scope > h3")?.after(msg);
    }
  }

  /**
   * What memory vs n draws from: both scenarios but for n (moving n only moves its marker),
   * the accounting and the units.
   */
  seriesKey() {
    const noN = (s) => s && { ...s, n: 0 };
    return JSON.stringify([
      this.state.accounting,
      this.state.units,
      noN(this.drawn),
      noN(this.compareScenario),
    ]);
  }

  /**
   * Set the scenario compared with (state.compare over the one drawn, see compareStateOf): a
   * combination Python refuses is resolved as the main one is, with a note when that changes
   * (not again at every step of the slider). Returns its layout.
   */
  setCompare() {
    try {
      const resolved = resolveState(this.api, compareStateOf(this.state));
      const cs = resolved.state;
      const notes = resolved.notes.map((note) => `compare: ${note}`);
      const layout = this.explorer.setCompare(scenarioOf(cs));
      if (notes.join() !== this.compareNote) this.notes.push(...notes);
      this.compareNote = notes.join();
      this.compareState = cs;
      this.compareScenario = scenarioOf(cs);
      return layout;
    } catch (e) {
      const auto = this.state.compare === DEFAULTS.compare;
      this.notes.push(`compare: ${e.message}${auto ? "" : "; using auto"}`);
      if (!auto) {
        this.state = { ...this.state, compare: DEFAULTS.compare };
        return this.setCompare();
      }
      // Not even the usual comparison: the scenario with itself, so the rest still draws.
      this.compareState = { ...this.state };
      this.compareScenario = this.drawn;
      return this.explorer.setCompare(this.drawn);
    }
  }

  /** "Compare with…": the comparison's controls, loaded the first time they are opened. */
  compareBar() {
    const button = el("button", { type: "button", text: "Compare with…", "aria-expanded": "false" });
    const bar = el("div", { class: "compare-bar" }, button);
    button.addEventListener("click", async () => {
      if (!this.compareUi) {
        const { compareControls } = await import("../panels/compare.js");
        const lib = { el, nextId, CHOICES, COMPARE_FIELDS, formatCompare, parseCompare };
        this.compareUi = compareControls(this, lib);
        bar.append(this.compareUi.section);
        button.setAttribute("aria-controls", this.compareUi.section.id);
      }
      const open = this.compareUi.section.hidden;
      this.compareUi.section.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) this.compareUi.focus();
    });
    return bar;
  }

  renderHeadline() {
    const s = this.state;
    const acc = ACC[s.accounting];
    const mine = this.layout.totals[acc];
    const other = this.compare.totals[acc];
    const [a, b] = this.names;
    // (per element of x: a view's are fewer than its base's n)
    const count = this.layout.elements.count;
    const per = (bytes) => (count ? `, ${(bytes / count).toFixed(2)} B per element` : "");
    // Which takes more, named, so the ratio reads the same whichever side is packed.
    const [big, small, hi, lo] = other > mine ? [b, a, other, mine] : [a, b, mine, other];
    const ratio =
      hi === lo
        ? "the two take the same."
        : lo > 0
          ? `${big} takes ${(hi / lo).toFixed(hi / lo < 1.1 ? 2 : 1)}× as much as ${small}.`
          : "";
    this.headline.replaceChildren(
      el("span", { text: `${this.layout.tree.label.replace(/^x: /, "")}: ` }),
      el("b", { text: formatBytes(mine, s.units) }),
      el("span", { text: ` by ${ACC_LABEL[s.accounting]}` }),
      acc === "allocated" && this.layout.allocatedRange ? this.rangeNote() : "",
      el("span", { text: `${per(mine)}. Compared with ${b}: ` }),
      el("b", { text: formatBytes(other, s.units) }),
      el("span", { text: `${per(other)}${ratio ? `; ${ratio}` : "."}` }),
      s.container === "ndarray"
        ? el("span", { class: "numpy", text: ` For ${CHOICES.numpy.find(([k]) => k === s.numpy)[1]}.` })
        : "",
    );
  }
}

if (!customElements.get("boxed-vs-packed")) customElements.define("boxed-vs-packed", BoxedVsPacked);
