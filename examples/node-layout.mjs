// layout() from Node: the same --target web package the page loads, initialised from bytes.
// Run after a build: node examples/node-layout.mjs
import { readFile } from "node:fs/promises";
import init, { layout } from "../www/pkg/boxed_vs_packed.js";

await init({
  module_or_path: await readFile(new URL("../www/pkg/boxed_vs_packed_bg.wasm", import.meta.url)),
});

const boxed = layout({
  container: "list_append",
  values: { kind: "int_range", start: 0 },
  n: 1_000_000,
  profile: "cpython-3.12",
});
const packed = layout({
  container: "ndarray",
  dtype: "uint64",
  values: { kind: "constant", value: 0 },
  n: 1_000_000,
  profile: "cpython-3.12",
});
console.log("sys.getsizeof(list):   ", boxed.container.getsizeof);
console.log("tracemalloc, list+ints:", boxed.totals.requested);
console.log("allocator holds:       ", boxed.totals.allocated);
console.log("tracemalloc, ndarray:  ", packed.totals.requested);
try {
  layout({
    container: "list_append",
    values: { kind: "int_range", start: 0 },
    n: -1,
    profile: "cpython-3.12",
  });
} catch (e) {
  console.log("bad input:             ", e.message);
}
