// The classroom's exercises, from a first guess to the allocator's fine print. Every answer is
// computed by the model (layout()) when the page runs, never typed in here: change the model
// and the answers follow. `state` is what the explorer shows on reveal.

import { formatCount } from "../widget/units.js";

const M = 10 ** 6;
const ints = (start = 0) => `int_range:${start}`;

/** layout() of a state-like object: n, container, values ("kind:num"), profile, dtype... */
function lay(api, s) {
  const [kind, num] = s.values.split(":");
  const values =
    kind === "int_mod"
      ? { kind, k: Number(num) }
      : kind === "constant"
        ? { kind, value: Number(num) }
        : { kind, start: Number(num) };
  const sc = { n: s.n, container: s.container, values, profile: s.profile ?? "cpython-3.12" };
  if (s.dtype) sc.dtype = s.dtype;
  if (s.typecode) sc.typecode = s.typecode;
  return api.layout(sc);
}

const list = (extra = {}) => ({
  n: M,
  container: "list_append",
  values: ints(),
  profile: "cpython-3.12",
  ...extra,
});
const nd = (dtype, extra = {}) => ({
  n: M,
  container: "ndarray",
  dtype,
  values: "constant:0",
  profile: "cpython-3.12",
  ...extra,
});

/**
 * Each: id (its link is #ex-<id>), level, title, question, unit ("bytes" or "ratio"), ask (for
 * bytes: the unit the question asks in, the answer field's default: "B" for "how many bytes"),
 * tolerance (relative), hints (up to two), state (shown on reveal), answer(api) in bytes (or a
 * plain ratio), explain(api) — a sentence with the exact figures.
 */
export const EXERCISES = [
  {
    id: "list",
    level: "basic",
    title: "A million ints in a list",
    question:
      "On CPython 3.12, x = [] and then x.append(i) for i in range(10**6). How much memory does tracemalloc say building x took?",
    unit: "bytes",
    ask: "MB",
    tolerance: 0.05,
    hints: [
      "Two parts: an array of 8-byte pointers, and an int object for each number.",
      "An int from 257 up is its own object of 32 bytes on 3.12; 0 … 256 already exist.",
    ],
    state: list(),
    answer: (api) => lay(api, list()).totals.requested,
    explain: (api) => {
      const l = lay(api, list());
      return `${formatCount(l.container.requested)} bytes of list and pointer array, plus ${formatCount(l.elements.requested)} bytes of int objects.`;
    },
  },
  {
    id: "numpy",
    level: "basic",
    title: "The same numbers in NumPy",
    question: "np.arange(10**6, dtype=np.int64) on the same Python: how many bytes does tracemalloc see?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.02,
    hints: [
      "Each number is stored as its 8 bytes, side by side.",
      "Add a small header for the ndarray object itself.",
    ],
    state: nd("int64", { values: ints() }),
    answer: (api) => lay(api, nd("int64", { values: ints() })).totals.requested,
    explain: (api) =>
      `8,000,000 bytes of data and ${formatCount(lay(api, nd("int64", { values: ints() })).totals.requested - 8 * M)} bytes for the array object, its shape and strides.`,
  },
  {
    id: "ratio",
    level: "basic",
    title: "How many times as much?",
    question:
      "How many times as much memory (tracemalloc) does the list of exercise 1 take as the array of exercise 2?",
    unit: "ratio",
    tolerance: 0.05,
    hints: ["Divide your two answers.", "About 40 bytes per element against 8."],
    state: list(),
    answer: (api) =>
      lay(api, list()).totals.requested / lay(api, nd("int64", { values: ints() })).totals.requested,
    explain: () =>
      "Pointer, object header and padding make each boxed int cost about five times its 8 bytes.",
  },
  {
    id: "getsizeof",
    level: "basic",
    title: "What sys.getsizeof sees",
    question: "For x = list(range(10**6)) on 3.12, what does sys.getsizeof(x) return?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.01,
    hints: [
      "sys.getsizeof counts the list object and its pointer array, not the ints.",
      "list(range(n)) knows n in advance, so the array has exactly n slots.",
    ],
    state: list({ container: "list_range", accounting: "getsizeof" }),
    answer: (api) => lay(api, list({ container: "list_range" })).container.getsizeof,
    explain: () => "A 56-byte list header and 10**6 pointers of 8 bytes: the ints are not counted at all.",
  },
  {
    id: "not-the-memory",
    level: "intermediate",
    title: "Why sys.getsizeof is not the list's memory",
    question:
      "For the append-loop list of exercise 1, how many times sys.getsizeof(x) is what tracemalloc measured?",
    unit: "ratio",
    tolerance: 0.03,
    hints: [
      "Divide the tracemalloc total by sys.getsizeof(x).",
      "sys.getsizeof stops at the pointers; each pointer leads to a 32-byte object.",
    ],
    state: list({ accounting: "tracemalloc" }),
    answer: (api) => {
      const l = lay(api, list());
      return l.totals.requested / l.container.getsizeof;
    },
    explain: (api) => {
      const l = lay(api, list());
      return `sys.getsizeof says ${formatCount(l.container.getsizeof)} bytes; tracemalloc ${formatCount(l.totals.requested)}.`;
    },
  },
  {
    id: "range-vs-append",
    level: "intermediate",
    title: "list(range(n)) against an append loop",
    question:
      "On 3.12 with n = 10**6, how many more bytes does sys.getsizeof report for the append-loop list than for list(range(n))?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.02,
    hints: [
      "Same elements, same pointers: the difference is empty slots.",
      "append over-allocates by about 1/8 so that appending stays fast; list(range(n)) allocates exactly n.",
    ],
    state: list({ accounting: "getsizeof" }),
    answer: (api) =>
      lay(api, list()).container.getsizeof - lay(api, list({ container: "list_range" })).container.getsizeof,
    explain: (api) =>
      `The append loop ends with ${formatCount(lay(api, list()).container.capacity)} slots for 1,000,000 items.`,
  },
  {
    id: "small-ints",
    level: "intermediate",
    title: "The small-int cache",
    question: "On 3.12, what does tracemalloc report for building [i % 100 for i in range(10**6)]?",
    unit: "bytes",
    ask: "MB",
    tolerance: 0.03,
    hints: [
      "Which of the values 0 … 99 need a new int object?",
      "CPython creates −5 … 256 once at start-up and shares them: only the list's pointers are new.",
    ],
    state: list({ container: "list_comprehension", values: "int_mod:100" }),
    answer: (api) =>
      lay(api, list({ container: "list_comprehension", values: "int_mod:100" })).totals.requested,
    explain: () => "No int object is created: a million pointers to the same hundred shared objects.",
  },
  {
    id: "repeat",
    level: "intermediate",
    title: "One value, a million times",
    question: "On 3.12, what does tracemalloc report for x = [7] * 10**6?",
    unit: "bytes",
    ask: "MB",
    tolerance: 0.02,
    hints: [
      "How many int objects does [7] * n make?",
      "One pointer per element, all to the same 7; the list is sized exactly.",
    ],
    state: list({ container: "list_repeat", values: "constant:7" }),
    answer: (api) => lay(api, list({ container: "list_repeat", values: "constant:7" })).totals.requested,
    explain: () => "8 bytes per element: the pointers. The repeated object already exists.",
  },
  {
    id: "float32",
    level: "intermediate",
    title: "float32 against float64",
    question: "How many bytes does np.zeros(10**6, dtype=np.float32) save against dtype=np.float64?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.01,
    hints: ["Same header, different item size.", "4 bytes per item instead of 8."],
    state: nd("float32"),
    answer: (api) => lay(api, nd("float64")).totals.requested - lay(api, nd("float32")).totals.requested,
    explain: () => "Half the data buffer: 4,000,000 bytes. The header does not depend on the dtype.",
  },
  {
    id: "py310-vs-311",
    level: "advanced",
    title: "3.10 against 3.11 ints",
    question:
      "x = list(range(1000, 1000 + 10**6)): how many more bytes does tracemalloc see on CPython 3.11 than on 3.10?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.02,
    hints: [
      "Both store one 30-bit digit per int here; look at the size of each int object.",
      "3.10 asks for 28 bytes per int; 3.11 asks for a whole PyLongObject, 32 bytes.",
    ],
    state: list({ container: "list_range", values: ints(1000), profile: "cpython-3.11" }),
    answer: (api) =>
      lay(api, list({ container: "list_range", values: ints(1000), profile: "cpython-3.11" })).totals
        .requested -
      lay(api, list({ container: "list_range", values: ints(1000), profile: "cpython-3.10" })).totals
        .requested,
    explain: () => "4 bytes more per int: sys.getsizeof still says 28, but the allocation is 32.",
  },
  {
    id: "py315-small-ints",
    level: "advanced",
    title: "3.15's bigger small-int cache",
    question:
      "x = list(range(1000)): how many fewer bytes does tracemalloc see on CPython 3.15 than on 3.14?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.02,
    hints: [
      "Both versions share the ints they pre-create instead of allocating them. Which ints are those?",
      "3.14 pre-creates -5 … 256; 3.15 pre-creates -5 … 1024.",
    ],
    state: list({ n: 1000, container: "list_range", profile: "cpython-3.15" }),
    answer: (api) =>
      lay(api, list({ n: 1000, container: "list_range", profile: "cpython-3.14" })).totals.requested -
      lay(api, list({ n: 1000, container: "list_range", profile: "cpython-3.15" })).totals.requested,
    explain: (api) =>
      `On 3.15 every int of range(1000) already exists, so building x allocates only the list: ${formatCount(
        lay(api, list({ n: 1000, container: "list_range", profile: "cpython-3.15" })).totals.requested,
      )} bytes, against ${formatCount(
        lay(api, list({ n: 1000, container: "list_range", profile: "cpython-3.14" })).totals.requested,
      )} on 3.14, where 743 of them are 32-byte objects of their own.`,
  },
  {
    id: "pymalloc",
    level: "advanced",
    title: "What pymalloc adds",
    question:
      "x = [float(i) for i in range(10**6)] on 3.12: how many bytes more does the allocator really hold than tracemalloc counts?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.03,
    hints: [
      "A float object asks for 24 bytes. What block does pymalloc hand out for 24?",
      "pymalloc's size classes are multiples of 16: 24 bytes take a 32-byte block.",
    ],
    state: list({ container: "list_comprehension", values: "float_range:0", accounting: "allocator" }),
    answer: (api) => {
      const l = lay(api, list({ container: "list_comprehension", values: "float_range:0" }));
      return l.totals.allocated - l.totals.requested;
    },
    explain: () => "8 bytes of rounding per float, plus the pointer array's malloc chunk rounding.",
  },
  {
    id: "two-digits",
    level: "advanced",
    title: "Ints past 2**30",
    question:
      "On 3.12, how many bytes per element does tracemalloc see for x = list(range(2**30, 2**30 + 10**6))?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.02,
    hints: [
      "CPython stores ints in 30-bit digits: 2**30 needs two.",
      "A two-digit int asks for 32 bytes; add the pointer.",
    ],
    state: list({ container: "list_range", values: ints(2 ** 30) }),
    answer: (api) => lay(api, list({ container: "list_range", values: ints(2 ** 30) })).perElement.requested,
    explain: () => "24 bytes of header, two 4-byte digits, and an 8-byte pointer: 40 bytes per element.",
  },
  {
    id: "wasm32",
    level: "advanced",
    title: "Python in the browser",
    question:
      "Pyodide 0.29 runs CPython 3.13 compiled to 32-bit WebAssembly. How much does tracemalloc see there for the append loop of exercise 1?",
    unit: "bytes",
    ask: "MB",
    tolerance: 0.05,
    hints: [
      "Pointers are 4 bytes on wasm32.",
      "An int object there is a 12-byte header and a 4-byte digit: 16 bytes.",
    ],
    state: list({ profile: "wasm32-3.13" }),
    answer: (api) => lay(api, list({ profile: "wasm32-3.13" })).totals.requested,
    explain: () => "About 20 bytes per element: half of 64-bit Linux.",
  },
  {
    id: "array",
    level: "basic",
    title: "The standard library's packed array",
    question: "array.array('q', range(10**6)) on 3.12: how many bytes does tracemalloc see?",
    unit: "bytes",
    ask: "B",
    tolerance: 0.05,
    hints: [
      "Packed like NumPy: 8 bytes per item.",
      "It is built by appending item by item, so the buffer has some slack.",
    ],
    state: { n: M, container: "array", typecode: "q", values: ints(), profile: "cpython-3.12" },
    answer: (api) =>
      lay(api, { n: M, container: "array", typecode: "q", values: ints(), profile: "cpython-3.12" }).totals
        .requested,
    explain: () => "No objects per item: a header and one growing buffer.",
  },
];
