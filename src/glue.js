// Glue that wasm-bindgen ships inside the package (as a snippet): the fast path across the
// boundary for layout(), which must stay well under 20 µs per call for 60 fps slider redraws.
// The scenario goes in as one JSON string; the result comes back as one Float64Array of numbers
// (text lengths included) and one string of all texts, rebuilt here as plain objects in one pass.

const SEP = "\u0001";

/** Shortest round-trip exponent form ("2.5e+0"): the model's float printer in wasm. */
export function expForm(x) {
  return x.toExponential();
}

/** A Rust panic's message, with the JS stack that led into the wasm. */
export function reportPanic(message) {
  console.error(`boxed-vs-packed panicked: ${message}\n${new Error().stack}`);
}

/** JSON number text to a double (NaN when it is not one). */
export function parseNumber(text) {
  return Number(text);
}

/** True when JSON.stringify carries v exactly (no NaN, Infinity, BigInt, function, undefined). */
function plain(v, depth) {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v !== "object" || depth > 8) return false;
  for (const k in v) if (!plain(v[k], depth + 1)) return false;
  return true;
}

/** JSON of any JS value, keeping what JSON cannot say (NaN, ±Infinity, BigInt, functions). */
export function encodeValue(v) {
  try {
    if (plain(v, 0)) return JSON.stringify(v);
    const text = JSON.stringify(v, (_k, x) => {
      if (typeof x === "number" && !Number.isFinite(x)) return { [`${SEP}num`]: String(x) };
      if (typeof x === "bigint") return { [`${SEP}int`]: x.toString() };
      if (typeof x === "function" || typeof x === "symbol") return { [`${SEP}other`]: `a ${typeof x}` };
      return x;
    });
    return text === undefined ? "null" : text;
  } catch {
    return JSON.stringify({ [`${SEP}other`]: "a value that cannot be read (cyclic or exotic)" });
  }
}

/** Rebuild layout()'s plain object from the numbers and texts Rust wrote in preorder. */
export function decodeLayout(nums, text) {
  let i = 0;
  let at = 0;
  const str = () => text.slice(at, (at += nums[i++]));
  // Object literals evaluate in order, so nums[i++] reads fields in the order Rust wrote them.
  const bytes = () => ({ getsizeof: nums[i++], requested: nums[i++], allocated: nums[i++] });
  const profile = str();
  const allocator = str();
  const container = {
    getsizeof: nums[i++],
    requested: nums[i++],
    allocated: nums[i++],
    capacity: nums[i++],
    length: nums[i++],
  };
  const elements = {
    count: nums[i++],
    distinct: nums[i++],
    getsizeof: nums[i++],
    requested: nums[i++],
    allocated: nums[i++],
  };
  const totals = bytes();
  const pe = bytes();
  const perElement = Number.isNaN(pe.getsizeof) ? null : pe;
  const node = () => {
    const n = {
      label: str(),
      kind: str(),
      explain: str(),
      count: nums[i++],
      getsizeof: nums[i++],
      requested: nums[i++],
      allocated: nums[i++],
      children: [],
    };
    for (let k = nums[i++]; k > 0; k--) n.children.push(node());
    return n;
  };
  const tree = node();
  return { profile, allocator, container, elements, totals, perElement, tree };
}
