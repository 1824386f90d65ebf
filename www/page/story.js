// The page's prose, written for the scenario the explorer shows: the lead, why the article's
// 35 MB and tracemalloc's 40 MB differ, and one section per part of the picture (the container,
// its elements, the other side of boxed vs packed, the three numbers). Every figure is read from
// layout() results; every sentence is built from text nodes (nothing is parsed as HTML).
import { el } from "../widget/kit.js";
import { ACC, exactBytes, formatBytes, formatCount } from "../widget/units.js";
import { parseValues } from "../widget/state.js";
import { shortDisplay } from "../panels/code.js";

const PROFILE = {
  "wasm32-3.13": "Pyodide 0.29 (CPython 3.13 on wasm32)",
  "wasm32-3.14": "Pyodide 314 (CPython 3.14 on wasm32)",
};
const ACC_PHRASE = {
  getsizeof: "by sys.getsizeof",
  tracemalloc: "by tracemalloc",
  allocator: "as the allocator holds them",
};
const accPhrase = (accounting, n) =>
  n === 1 && accounting === "allocator" ? "as the allocator holds it" : ACC_PHRASE[accounting];

/** A ratio that reads right near 1: "1.05×", not "1.0×". */
const times = (r) => `${r.toFixed(r < 1.1 ? 2 : 1)}×`;

/** The article's program: a million ints appended to a list, counted by sys.getsizeof. */
export const ARTICLE = {
  n: 1000000,
  container: "list_append",
  values: "int_range:0",
  accounting: "getsizeof",
};

export const profileName = (p) => PROFILE[p] ?? p.replace("cpython-", "CPython ");

/** "1 int", "0 ints", "1,000,000 floats". */
export const counted = (n, thing) => `${formatCount(n)} ${thing}${n === 1 ? "" : "s"}`;

const code = (text) => el("code", { text });
const b = (text) => el("strong", { text });
const BOXED = ["list_append", "list_range", "list_comprehension", "list_repeat", "list_literal", "tuple"];

/**
 * The statement that makes x, as shown in prose: the last line of pythonCode(), with a long
 * list display shortened to its first items and its last ("x = [0, 1, 2, …, 9999]").
 */
export function shortCode(source) {
  const line = source.trim().split("\n").pop();
  if (line.length <= 120) return line;
  return shortDisplay(line, 3)?.text ?? `${line.slice(0, 110)}…`;
}
export const isBoxed = (container) => BOXED.includes(container);

/** The Python objects the values are: "int" or "float". */
function elementType(state) {
  // A float array stores floats whatever values it was given (np.arange(…, dtype=float64)).
  if (state.container === "ndarray" && state.dtype.startsWith("float")) return "float";
  if (state.container === "array" && "fd".includes(state.typecode)) return "float";
  const v = parseValues(state.values);
  if (v.kind === "float_range") return "float";
  if (v.kind === "constant") return v.type === "float" || !/^-?\d+$/.test(String(v.value)) ? "float" : "int";
  return "int";
}

/** The container as a noun phrase: "a list built by append", "an array.array('i')". */
function containerPhrase(state) {
  const phrase = containerNoun(state);
  if (state.source === "list") return [...phrase, " built from an existing list ", code("src")];
  if (state.shape) return [...phrase, " reshaped to ", code(`(${state.shape.replaceAll(",", ", ")})`)];
  return phrase;
}

function containerNoun(state) {
  switch (state.container) {
    case "list_append":
      return ["a list built by ", code("append")];
    case "list_range":
      return ["a list made by ", code("list(…)")];
    case "list_comprehension":
      return ["a list comprehension"];
    case "list_repeat":
      return ["a list made by ", code("[v] * n")];
    case "list_literal":
      return ["a list literal, ", code("[v0, v1, …]"), " written out,"];
    case "tuple":
      return ["a tuple"];
    case "array":
      return ["an ", code(`array.array('${state.typecode}')`)];
    default:
      return ["a NumPy ", code(state.dtype), " array"];
  }
}

/** A layout's root label as a noun phrase: "x: ndarray int64 of 5 items" → "a NumPy int64 array". */
function otherPhrase(label) {
  const what = label.replace(/^x: /, "").replace(/ of [\d,]+ \w+$/, "");
  const nd = /^ndarray (\w+)/.exec(what);
  if (nd) return ["a NumPy ", code(nd[1]), " array"];
  if (what.startsWith("array.array")) return ["an ", code(what)];
  if (what.startsWith("tuple")) return ["a tuple"];
  return ["a list"];
}

/** Parts with each sentence's first letter capitalised ("… 56 B. a NumPy array" → "… A NumPy array"). */
function capitalised(parts) {
  let start = true;
  return parts
    .filter((x) => x !== "")
    .map((x) => {
      const text = typeof x === "string" ? x : x.textContent;
      // Code is never capitalised (np.arange is not Np.arange), but it does start a sentence.
      const out = start && typeof x === "string" ? x[0].toUpperCase() + x.slice(1) : x;
      start = /[.!?]\s*$/.test(text);
      return out;
    });
}

function find(tree, pred) {
  const stack = [tree];
  while (stack.length) {
    const node = stack.pop();
    if (pred(node)) return node;
    stack.push(...node.children);
  }
  return null;
}

/** What one element is, described by the values: "the ints 0, 1, 2, …", "the int 7, n times". */
function valuesPhrase(state, type) {
  const v = parseValues(state.values);
  if (state.n === 1 && v.kind !== "int_mod" && v.kind !== "int_offset") {
    const value =
      v.kind === "constant"
        ? String(v.value)
        : v.kind === "float_range"
          ? `${Number(v.start)}.0`
          : String(v.start);
    return [`the ${type} `, code(value)];
  }
  if (v.kind === "constant") return [`the ${type} `, code(String(v.value))];
  if (v.kind === "int_mod") return ["the ints ", code(`i % ${v.k}`)];
  if (v.kind === "int_offset") return ["the ints ", code("b + i"), ` (b = ${v.base}, i from ${v.start})`];
  const start = v.kind === "float_range" ? Number(v.start) : v.start;
  return [
    `the ${type}s from `,
    code(v.kind === "float_range" ? `${start}.0`.replace(/\.0\.0$/, ".0") : String(start)),
  ];
}

/**
 * Fill the page's prose for the scenario shown.
 * @param {Document} doc the page
 * @param {object} state the widget's state (strings and numbers as in state.js)
 * @param {object} layout layout() of the scenario shown (bytes)
 * @param {object} other layout() of what the widget compares it with (bytes)
 * @param {object} article layout() of the article's program on the same Python (bytes)
 * @param {string} source pythonCode() of the scenario shown
 */
export function tell(doc, state, layout, other, article, source) {
  const acc = ACC[state.accounting];
  const u = state.units;
  const n = state.n;
  const type = elementType(state);
  const boxed = isBoxed(state.container);
  const py = profileName(state.profile);
  const fmt = (bytes) => formatBytes(bytes, u);
  const mine = layout.totals[acc];
  const theirs = other.totals[acc];
  const [bx, pk] = boxed ? [mine, theirs] : [theirs, mine];
  const ratio = pk > 0 ? times(bx / pk) : "—";
  const shared = state.container === "list_repeat" || parseValues(state.values).kind === "constant";
  const fill = (id, ...parts) =>
    doc.getElementById(id)?.replaceChildren(...capitalised(parts.flat(Infinity)));

  // The lead: the scenario in one sentence, then the other side of boxed vs packed.
  const things = counted(n, type);
  const acct = accPhrase(state.accounting, n);
  // "Put 1,000 ints in a tuple on CPython 3.14 and they take 8.05 kB by tracemalloc"
  const put = [
    shared && boxed ? `Put ${counted(n, "reference")} to one ${type} in ` : `Put ${things} in `,
    containerPhrase(state),
    ` on ${py} and ${n === 1 ? "it takes" : "they take"} `,
    b(fmt(mine)),
    ` ${acct}`,
  ];
  const onward = " Here is where every byte goes, exactly, for the Python you use.";
  if (state.view && state.container === "ndarray")
    fill(
      "lead",
      code(`x = base[::${state.view}]`),
      ` on ${py}, a view of ${counted(layout.container.length, type)} out of the ${formatCount(n)} in `,
      containerPhrase(state),
      " ",
      code("base"),
      ", takes ",
      b(fmt(mine)),
      ` ${acct}: only its own header, since the values stay in `,
      code("base"),
      `. A list of all ${formatCount(n)} would take `,
      b(fmt(theirs)),
      ". Here is where every byte goes, exactly, for the Python you use.",
    );
  else if (n === 0 && state.container === "tuple")
    fill(
      "lead",
      "A tuple of no ",
      `${type}s`,
      ` on ${py} is the empty tuple the interpreter already has: `,
      code("tuple()"),
      " of nothing makes nothing new, ",
      b(fmt(mine)),
      ` ${acct}. `,
      otherPhrase(other.tree.label),
      " with nothing in it takes ",
      b(fmt(theirs)),
      ". Raise n and watch where the bytes go, exactly, for the Python you use.",
    );
  else if (n === 0)
    fill(
      "lead",
      "Put no ",
      `${type}s`,
      " at all in ",
      containerPhrase(state),
      ` on ${py} and it still takes `,
      b(fmt(mine)),
      ` ${acct}: the container's own header. `,
      otherPhrase(other.tree.label),
      " with nothing in it takes ",
      b(fmt(theirs)),
      ". Raise n and watch where the bytes go, exactly, for the Python you use.",
    );
  else if (boxed && bx < pk && layout.elements.requested === 0)
    fill(
      "lead",
      put,
      `: ${shared ? `the ${type}` : `the ${type}s`} already existed, so x costs only its pointers. `,
      otherPhrase(other.tree.label),
      ` of the same values takes `,
      b(fmt(theirs)),
      ".",
      onward,
    );
  else if (boxed && bx < pk)
    fill(
      "lead",
      put,
      ". ",
      otherPhrase(other.tree.label),
      ` of ${n === 1 ? "it" : "them"} takes `,
      b(fmt(theirs)),
      n < 1000
        ? ": at an n this small, the array's fixed header costs more than packing saves. Raise n and watch the boxed side overtake it."
        : ": more, here, because most of these elements are objects that already existed (shared small ints or one constant), so the list pays for little more than its pointers.",
    );
  else if (boxed)
    fill(
      "lead",
      put,
      `. The ${n === 1 ? "number itself" : "numbers themselves"} would fit in `,
      b(fmt(theirs)),
      ", which is what ",
      otherPhrase(other.tree.label),
      ` of ${n === 1 ? "it" : "them"} takes: the ${state.container === "tuple" ? "tuple" : "list"} costs `,
      b(ratio),
      " as much.",
      onward,
    );
  else
    fill(
      "lead",
      put,
      `: ${(mine / n).toFixed(2)} bytes each, packed side by side. `,
      otherPhrase(other.tree.label),
      ` of the same ${n === 1 ? type : `${type}s`} would take `,
      b(fmt(theirs)),
      theirs >= mine
        ? [": ", b(ratio), " as much."]
        : ": less, at an n this small, where the array's header outweighs what packing saves.",
      onward,
    );

  // Why the article says 35 MB and tracemalloc 40 MB: the article's program on this Python.
  const asArticle =
    state.n === ARTICLE.n &&
    state.container === ARTICLE.container &&
    state.values === ARTICLE.values &&
    state.accounting === ARTICLE.accounting;
  const a = article.totals;
  const extra = a.requested - a.getsizeof;
  fill(
    "why-35",
    "The article says about 35 MB for a million ints. It adds up ",
    code("sys.getsizeof"),
    " of the list and of every int, which is ",
    b(exactBytes(a.getsizeof)),
    ` on ${py}: ${formatBytes(a.getsizeof, "si")} (SI), or ${formatBytes(a.getsizeof, "iec")} (IEC)`,
    Math.round(a.getsizeof / 2 ** 20) === 35 ? ", the article's 35" : "",
    ". tracemalloc counts what was really asked of the allocator, ",
    b(exactBytes(a.requested)),
    extra > 0
      ? `: CPython 3.11 and later allocate a whole 32-byte object for each 28-byte int, ${exactBytes(extra)} more, less the small ints that existed before. `
      : ": the same objects, less the small ints that existed before the list was built. ",
    asArticle ? "The explorer now shows it as the article measured." : "",
  );
  const button = doc.getElementById("as-article");
  if (button) button.hidden = asArticle;

  // The container.
  const c = layout.container;
  const header = layout.tree.children[0];
  const ptrs = find(layout.tree, (x) => x.label.startsWith("pointer array"));
  const slack = find(layout.tree, (x) => x.kind === "slack");
  const ptr = state.profile.startsWith("wasm32") ? 4 : 8;
  const items = counted(n, "item");
  let title;
  let body;
  if (state.container === "tuple" && n === 0) {
    title = "A tuple holds pointers";
    body = [
      code(shortCode(source)),
      ` on ${py} returns the one empty tuple the interpreter keeps (a ${exactBytes(c.getsizeof)} object, by `,
      code("sys.getsizeof"),
      "): no pointer, no new object, nothing for tracemalloc.",
    ];
  } else if (state.container === "tuple") {
    title = "A tuple holds pointers";
    body = [
      code(shortCode(source)),
      ` on ${py}. A tuple never grows, so `,
      n === 1 ? `its one ${ptr}-byte pointer sits` : `its ${counted(n, `${ptr}-byte pointer`)} sit`,
      " inline in the tuple object itself, after its header: ",
      b(exactBytes(header.getsizeof)),
      " in all, one object. Each pointer leads to an element object elsewhere in memory.",
    ];
  } else if (boxed) {
    title = "A list holds pointers";
    const how = {
      list_append: n
        ? [code("x = []"), ", then ", code("x.append(v)"), ` ${n === 1 ? "once" : `${formatCount(n)} times`}`]
        : [code("x = []"), ", with nothing appended,"],
    }[state.container] ?? [code(shortCode(source))];
    body = [
      how,
      ` on ${py}. The list object itself is small: a header of `,
      b(exactBytes(header.getsizeof)),
      ptrs
        ? [
            ` pointing at a separate array with one ${ptr}-byte pointer per element. It holds `,
            counted(c.capacity, "slot"),
            ` for ${items}: `,
            b(fmt(ptrs[acc])),
            slack
              ? [
                  ", of which ",
                  exactBytes(slack.requested),
                  state.container === "list_append"
                    ? " are room for appends that may never come (CPython grows the array ahead of need to keep append fast)."
                    : state.container === "list_literal"
                      ? [" are spare slots. ", slack.explain]
                      : " are spare slots, from how this version sizes the array when it cannot know the length ahead.",
                ]
              : ", exactly as many as needed: no spare slot.",
          ]
        : ". With no items it has no pointer array at all.",
    ];
  } else if (state.container === "ndarray" && (state.view || state.shape)) {
    title = "A view shares the values";
    const view = find(layout.tree, (x) => x.label.startsWith("ndarray object (a view"));
    const base = find(layout.tree, (x) => x.label.startsWith("x.base"));
    body = state.view
      ? [
          code(shortCode(source)),
          ` on ${py} copies nothing: it is a header of `,
          b(exactBytes(view?.requested ?? 0)),
          ", with its own shape and strides, over the buffer of ",
          code("base"),
          `, which already holds the ${counted(n, "value")}. It shows ${formatCount(c.length)} of them, stepping ${state.view} at a time, and costs its header alone: `,
          b(fmt(mine)),
          ".",
        ]
      : [
          code(shortCode(source)),
          ` on ${py} makes two arrays: np.arange's, which owns the data (`,
          b(fmt(base ? base[acc] : 0)),
          ` with its header), and x, a view with a header of its own (`,
          exactBytes(view?.requested ?? 0),
          ") and the new shape, pointing into that data. ",
          code("sys.getsizeof(x)"),
          " says ",
          b(exactBytes(c.getsizeof)),
          ", since x owns no data; tracemalloc counts both: ",
          b(exactBytes(layout.totals.requested)),
          ".",
        ];
  } else {
    title =
      state.container === "array"
        ? "An array holds the values themselves"
        : "NumPy holds the values themselves";
    const buf = find(layout.tree, (x) => x.kind === "buffer");
    const item = state.container === "array" ? find(layout.tree, (x) => x.kind === "payload") : null;
    const size = n ? Math.round((buf ? (find(buf, (x) => x.kind === "payload")?.requested ?? 0) : 0) / n) : 0;
    body = [
      code(shortCode(source)),
      ` on ${py} keeps a header of `,
      b(exactBytes(header.requested)),
      n
        ? [
            " and one buffer of ",
            counted(n, `${size || Math.round((item?.requested ?? 0) / n)}-byte value`),
            ": ",
            b(fmt(buf ? buf[acc] : 0)),
            ". No pointer to follow, no header per number.",
          ]
        : " and, with no items, no buffer.",
    ];
  }
  fill("s-container", title);
  fill("p-container", body);

  // The elements.
  const objects = layout.tree.children.filter((x) => x.kind === "objects");
  const sharedNodes = layout.tree.children.filter(
    (x) => x.kind === "shared" && !x.label.startsWith("the empty tuple"),
  );
  if (boxed) {
    const big = objects.reduce((a, x) => (a && a.count >= x.count ? a : x), null);
    const each = big ? big.getsizeof / big.count : type === "int" ? 28 : 24;
    const real = big ? big.requested / big.count : each;
    const total = objects.reduce((a, x) => a + x[acc], 0);
    const sharedCount = sharedNodes.reduce((a, x) => a + x.count, 0);
    fill("s-elements", `Each ${type} is an object`);
    fill(
      "p-elements",
      type === "int"
        ? "The elements live elsewhere, each in its own heap object: a reference count, a pointer to its type, its size, then the value in 30-bit digits. "
        : "The elements live elsewhere, each in its own heap object: a reference count, a pointer to its type, then the 8-byte double. ",
      big
        ? [
            code("sys.getsizeof"),
            ` says ${each} bytes for ${n === 1 ? "" : "each of "}`,
            valuesPhrase(state, type),
          ]
        : "",
      big && real > each
        ? `, but CPython allocates ${real} bytes for ${n === 1 ? "it" : "every one"} ${
            parseValues(state.values).kind === "int_offset"
              ? "(an addition of multi-digit ints allocates one digit more than the larger operand, and keeps it)"
              : "(a whole struct, padding included)"
          }`
        : "",
      big ? ". " : "",
      objects.length
        ? [
            objects.reduce((a, x) => a + x.count, 0) === 1
              ? `The one ${type} object takes `
              : `Together the ${counted(
                  objects.reduce((a, x) => a + x.count, 0),
                  `${type} object`,
                )} take `,
            b(fmt(total)),
            ". ",
          ]
        : n
          ? `No new ${type} object is made at all. `
          : `With n = 0 there is no ${type} to store. `,
      // The objects that existed before x, each said as the model says it (the small-int
      // cache, a constant, a literal's constants, the list x was built from).
      sharedCount ? sharedNodes.map((x) => `${x.explain} `) : "",
    );
  } else if (state.view && state.container === "ndarray") {
    fill("s-elements", "A view holds no values of its own");
    fill(
      "p-elements",
      `The ${counted(c.length, "value")} x shows are read from `,
      code("base"),
      "'s buffer whenever x is used. A list of them would hold a pointer and an object per value: ",
      b(fmt(theirs)),
      ".",
    );
  } else {
    fill("s-elements", `No object per ${type}`);
    const objs = other.tree.children.filter((x) => x.kind === "objects");
    fill(
      "p-elements",
      `A list would hold a pointer per element and ${type === "int" ? "an" : "a"} ${type} object per distinct value. ${
        n === 0 ? "With no values, " : n === 1 ? "For this one value, " : `For these ${counted(n, "value")}, `
      }`,
      otherPhrase(other.tree.label),
      " takes ",
      b(fmt(theirs)),
      objs.length ? [", of which its objects are ", fmt(objs.reduce((a, x) => a + x[acc], 0))] : "",
      `. Packed, the ${type === "int" ? "ints" : "floats"} take `,
      b(fmt(mine)),
      ": the values are stored as raw machine numbers, converted back into Python objects only when read.",
    );
  }

  // The other side.
  fill("s-other", boxed ? "Packed arrays store the numbers themselves" : "Boxed, the same numbers");
  const oh = other.tree.children[0];
  fill(
    "p-other",
    boxed
      ? [
          otherPhrase(other.tree.label),
          " keeps one buffer of packed values and a header of ",
          b(exactBytes(oh.requested)),
          ": ",
          b(fmt(theirs)),
          " for the same numbers",
          n
            ? [
                `, ${(theirs / n).toFixed(2)} bytes each against the ${state.container === "tuple" ? "tuple" : "list"}'s `,
                (mine / n).toFixed(2),
                ". No pointer to follow, no header per number.",
              ]
            : ".",
        ]
      : [
          otherPhrase(other.tree.label),
          ` of the same values on ${py} takes `,
          b(fmt(theirs)),
          n ? `: ${(theirs / n).toFixed(2)} bytes each against ${(mine / n).toFixed(2)} packed.` : ".",
        ],
  );

  // The three numbers, for the scenario shown.
  fill(
    "p-three",
    code("sys.getsizeof(x)"),
    boxed ? " counts the container and its pointers only: " : " counts the header and the buffer it owns: ",
    b(exactBytes(c.getsizeof)),
    ". tracemalloc counts what building ",
    code("x"),
    " asked the allocator for: ",
    b(exactBytes(layout.totals.requested)),
    ". The allocator hands out whole blocks, so it really holds ",
    b(exactBytes(layout.totals.allocated)),
    state.profile.startsWith("wasm32")
      ? ": emscripten's dlmalloc chunks. "
      : ": pymalloc's 16-byte size classes up to 512 bytes, malloc's chunks and pages above. ",
    boxed
      ? [
          "Summing ",
          code("sys.getsizeof"),
          " over the container and each distinct element, as the article did, gives ",
          b(exactBytes(layout.totals.getsizeof)),
          ".",
        ]
      : "",
  );
}
