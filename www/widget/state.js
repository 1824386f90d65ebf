// The explorer's state: the scenario plus how to show it, read from URL parameters or widget
// attributes (strings from outside: every one is checked, a bad one falls back to its default
// with a note naming it), and written back as parameters for permalinks.

export const DEFAULTS = Object.freeze({
  n: 1000000,
  container: "list_append",
  typecode: "q",
  dtype: "uint64",
  numpy: "2",
  values: "int_range:0",
  profile: "cpython-3.14",
  accounting: "tracemalloc",
  units: "si",
  panels: "flame,diagram,series,bars,lab,code",
  compare: "auto",
  // Issue 13's forms: x built from an existing list, an ndarray's shape, a view base[::step].
  source: "",
  shape: "",
  view: "",
});

export const CHOICES = {
  container: [
    ["list_append", "list, append loop"],
    ["list_range", "list(range(n))"],
    ["list_comprehension", "list comprehension"],
    ["list_repeat", "[value] * n"],
    ["list_literal", "list literal [v0, v1, …]"],
    ["tuple", "tuple"],
    ["array", "array.array"],
    ["ndarray", "NumPy ndarray"],
  ],
  typecode: "b B h H i I l L q Q f d".split(" ").map((t) => [t, `'${t}'`]),
  dtype: "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64"
    .split(" ")
    .map((d) => [d, d]),
  numpy: [
    ["2", "NumPy 1.22 and later (2.x)"],
    ["1.21", "NumPy 1.21 and older"],
  ],
  valueKind: [
    ["int_range", "ints start, start+1, …"],
    ["float_range", "floats start, start+1, …"],
    ["int_mod", "ints i % k"],
    ["constant", "one value, n times"],
    ["int_offset", "ints base + i, computed"],
  ],
  source: [
    ["", "the values"],
    ["list", "an existing list, src"],
  ],
  profile: [
    ["cpython-3.15", "CPython 3.15"],
    ["cpython-3.14", "CPython 3.14"],
    ["cpython-3.13", "CPython 3.13"],
    ["cpython-3.12", "CPython 3.12"],
    ["cpython-3.11", "CPython 3.11"],
    ["cpython-3.10", "CPython 3.10"],
    ["cpython-3.9", "CPython 3.9"],
    ["cpython-3.8", "CPython 3.8"],
    ["wasm32-3.14", "Pyodide 314 (CPython 3.14, wasm32)"],
    ["wasm32-3.13", "Pyodide 0.29 (CPython 3.13, wasm32)"],
  ],
  accounting: [
    ["getsizeof", "sys.getsizeof"],
    ["tracemalloc", "tracemalloc"],
    ["allocator", "allocator"],
  ],
  units: [
    ["bytes", "bytes"],
    ["si", "kB, MB (SI, 1000)"],
    ["iec", "KiB, MiB (IEC, 1024)"],
  ],
  panels: ["flame", "diagram", "series", "bars", "lab", "code"],
};

export const MAX_N = 1e9;

/** Profile names from before there were two Pyodides, kept so old links keep their numbers. */
const PROFILE_ALIASES = { wasm32: "wasm32-3.13" };

/** NumPy 1.21 and older install on CPython 3.7 to 3.10 only (and not on wasm32). */
export const NUMPY_121_PROFILES = ["cpython-3.8", "cpython-3.9", "cpython-3.10"];

/** A profile's CPython on 32-bit WebAssembly? (pointers are 4 bytes there) */
export const isWasm32 = (profile) => profile.startsWith("wasm32");
const NAMES = Object.keys(DEFAULTS);

const has = (list, v) => list.some(([k]) => k === v);
const short = (s) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Parse "int_range:0", "int_mod:100", "constant:2.5" into a values object, or throw. Integers
 * past 2**53 stay decimal strings (exact); a constant written with a point or an exponent
 * ("2.0", "1e300") is a float.
 */
export function parseValues(text) {
  const exact = (x) => (Number.isSafeInteger(Number(x)) ? Number(x) : x);
  const offset = /^int_offset:(-?\d+):(-?\d+)$/.exec(text);
  if (offset) return { kind: "int_offset", base: exact(offset[1]), start: exact(offset[2]) };
  if (/^int_offset:/.test(text))
    throw new Error("int_offset needs base:start, two whole numbers (int_offset:1099511627776:0)");
  const m = /^(int_range|float_range|int_mod|constant):(-?\d+(\.\d+)?(e[+-]?\d+)?)$/i.exec(text);
  if (!m)
    throw new Error(
      "must be kind:number, kind one of int_range, float_range, int_mod, constant (or int_offset:base:start)",
    );
  const kind = m[1];
  const num = m[2];
  if (kind === "constant") {
    if (/[.e]/i.test(num)) return { kind, value: Number(num), type: "float" };
    return { kind, value: Number.isSafeInteger(Number(num)) ? Number(num) : num };
  }
  if (!/^-?\d+$/.test(num)) throw new Error(`${kind} needs a whole number`);
  return kind === "int_mod"
    ? { kind, k: Number(num) }
    : { kind, start: Number.isSafeInteger(Number(num)) ? Number(num) : num };
}

export function formatValues(v) {
  if (v.kind === "int_offset") return `int_offset:${v.base}:${v.start}`;
  const x = v.kind === "int_mod" ? v.k : v.kind === "constant" ? v.value : v.start;
  // A float constant keeps a point, so that it reads back as a float.
  const float = v.kind === "constant" && v.type === "float" && !/[.e]/i.test(String(x));
  return `${v.kind}:${x}${float ? ".0" : ""}`;
}

/**
 * Read state from a string lookup (URLSearchParams.get or getAttribute), over `base` (the
 * defaults, or the state a partial change applies to). Returns { state, notes }: notes name
 * each bad parameter, what is allowed, and what was used instead.
 */
export function readState(get, base = DEFAULTS) {
  const state = { ...base };
  const notes = [];
  const bad = (name, value, why) => {
    notes.push(`${name}=${short(value)} ignored: ${why}; using ${base[name] === "" ? "none" : base[name]}`);
  };
  for (const name of NAMES) {
    const raw = get(name);
    if (raw === null || raw === undefined) continue;
    let v = String(raw).trim();
    if (name === "profile") v = PROFILE_ALIASES[v] ?? v;
    if (name === "n") {
      // Decimal digits (1000000, 1_000_000, 1,000,000) or 1e6; not hex, not "Infinity".
      const digits = v.replace(/[_,]/g, "");
      const n = /^\d+(e\d+)?$/i.test(digits) ? Number(digits) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > MAX_N)
        bad(name, v, `n must be a whole number from 0 to ${MAX_N}`);
      else state.n = n;
    } else if (name === "values") {
      try {
        parseValues(v);
        state.values = v;
      } catch (e) {
        bad(name, v, e.message);
      }
    } else if (name === "panels") {
      const list = v
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
      const unknown = list.filter((p) => !CHOICES.panels.includes(p));
      if (unknown.length || !list.length)
        bad(name, v, `panels are a comma-separated list of ${CHOICES.panels.join(", ")}`);
      else state.panels = list.join(",");
    } else if (name === "source") {
      if (v === "" || v === "list") state.source = v;
      else bad(name, v, "allowed: list (x built from an existing list), or nothing");
    } else if (name === "shape") {
      // "1000,1000" (or "1000x1000", "[1000, 1000]"): 1 to 7 whole numbers.
      const dims = v
        .replace(/^\[|\]$/g, "")
        .split(/\s*[,x×]\s*/)
        .filter(Boolean);
      if (v === "") state.shape = "";
      else if (
        dims.length < 1 ||
        dims.length > 7 ||
        !dims.every((d) => /^\d+$/.test(d) && Number(d) <= MAX_N)
      )
        bad(name, v, `a shape is 1 to 7 whole numbers from 0 to ${MAX_N}, such as 1000,1000`);
      else state.shape = dims.map(Number).join(",");
    } else if (name === "view") {
      if (v === "") state.view = "";
      else if (!/^-?\d+$/.test(v) || Number(v) === 0 || Math.abs(Number(v)) > MAX_N)
        bad(name, v, `a view's step is a whole number other than 0 (x = base[::step]), such as 2 or -1`);
      else state.view = String(Number(v));
    } else if (name === "compare") {
      try {
        state.compare = formatCompare(parseCompare(v));
      } catch (e) {
        bad(name, v, e.message);
      }
    } else if (name in CHOICES && Array.isArray(CHOICES[name]) && Array.isArray(CHOICES[name][0])) {
      if (has(CHOICES[name], v)) state[name] = v;
      else bad(name, v, `allowed: ${CHOICES[name].map(([k]) => k).join(", ")}`);
    }
  }
  return { state, notes };
}

/** The scenario layout() takes, from the state. */
export function scenarioOf(state) {
  const s = {
    container: state.container,
    values: parseValues(state.values),
    n: state.n,
    profile: state.profile,
  };
  if (state.container === "array") s.typecode = state.typecode;
  if (state.container === "ndarray") {
    s.dtype = state.dtype;
    if (state.numpy !== DEFAULTS.numpy) s.numpy = state.numpy;
  }
  if (state.source) s.source = state.source;
  if (state.shape) s.shape = state.shape.split(",").map(Number);
  if (state.view) s.view = { step: Number(state.view) };
  return s;
}

/**
 * The nearest valid state to `state`: resolveScenario's changes (in the state's own notation)
 * applied over it. Returns { state, changes, notes }, a note per change as the widget shows it.
 * Throws as resolveScenario does, for a field bad on its own.
 */
export function resolveState(api, state) {
  const { changes } = api.resolveScenario(scenarioOf(state));
  let out = state;
  for (const c of changes) out = { ...out, [c.field]: c.field === "n" ? Number(c.to) : c.to };
  const notes = changes.map((c) =>
    c.to === ""
      ? `${c.field} ${c.from} dropped: ${c.why}`
      : `${c.field} changed from ${c.from} to ${c.to}: ${c.why}`,
  );
  return { state: out, changes, notes };
}

/** Parameters that differ from the defaults (a short permalink). */
export function toParams(state) {
  const p = new URLSearchParams();
  for (const name of NAMES) {
    if (name === "typecode" && state.container !== "array") continue;
    if ((name === "dtype" || name === "numpy") && state.container !== "ndarray") continue;
    if (String(state[name]) !== String(DEFAULTS[name])) p.set(name, String(state[name]));
  }
  return p;
}

/**
 * The scenario compared with, written "auto" or as the fields that differ from the shown one:
 * "container=ndarray,dtype=int32,profile=cpython-3.11" (n and the values are shared). A field
 * left out follows the scenario shown; container "auto" is the usual counterpart (see
 * compareStateOf). Returns the fields as an object, or throws naming the bad one.
 */
export const COMPARE_FIELDS = ["container", "typecode", "dtype", "profile"];

export function parseCompare(text) {
  const out = {};
  if (text === "" || text === "auto") return out;
  for (const part of text.split(",")) {
    const [k, v, extra] = part.split("=").map((x) => x.trim());
    if (!COMPARE_FIELDS.includes(k) || v === undefined || extra !== undefined)
      throw new Error(
        `"${short(part)}" is not field=value, field one of ${COMPARE_FIELDS.join(", ")} (or: auto)`,
      );
    if (k in out) throw new Error(`${k} is given twice: give each field once`);
    const value = k === "profile" ? (PROFILE_ALIASES[v] ?? v) : v;
    const allowed = CHOICES[k].map(([c]) => c);
    if (k === "container") allowed.unshift("auto");
    if (!allowed.includes(value)) throw new Error(`${k} allowed: ${allowed.join(", ")}`);
    out[k] = value;
  }
  if (out.container === "auto") delete out.container;
  return out;
}

/** The fields in one order, "auto" when there are none. */
export function formatCompare(fields) {
  const parts = COMPARE_FIELDS.filter((k) => fields[k] !== undefined).map((k) => `${k}=${fields[k]}`);
  return parts.join(",") || "auto";
}

/**
 * The state of the scenario compared with: the shown one's, with the compare fields over it.
 * Container "auto": the article's comparison, packed for a boxed scenario (an ndarray: uint64
 * for ints, int64 if they go below zero, float64 for floats) and a list, appended to, for a
 * packed one. The combination may still need resolveScenario (the values give way).
 */
export function compareStateOf(state) {
  const c = parseCompare(state.compare);
  // The comparison is of the plain form: the same values, built directly.
  const out = { ...state, ...c, source: "", shape: "", view: "" };
  const v0 = parseValues(state.values);
  if (!c.container) {
    const packed = state.container === "array" || state.container === "ndarray";
    const v = parseValues(state.values);
    const float = v.kind === "float_range" || v.type === "float";
    const negative =
      v.kind === "int_offset" ? BigInt(v.base) + BigInt(v.start) < 0n : Number(v.start ?? v.value ?? 0) < 0;
    out.container = packed ? "list_append" : "ndarray";
    if (!packed && !c.dtype) out.dtype = float ? "float64" : negative ? "int64" : "uint64";
  }
  // ints computed as base + i are, to a packed container, the same numbers as a range.
  if (v0.kind === "int_offset" && (out.container === "array" || out.container === "ndarray"))
    out.values = `int_range:${BigInt(v0.base) + BigInt(v0.start)}`;
  return out;
}
