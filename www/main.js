// Entry point of the page: loads the wasm model and shows layout() of the article's scenario.
// (The explorable page is built on top of this in later steps.)
import init, { layout } from "./pkg/boxed_vs_packed.js";

export const ARTICLE = {
  container: "list_append",
  values: { kind: "int_range", start: 0 },
  n: 1000000,
  profile: "cpython-3.12",
};

async function main() {
  const out = document.getElementById("layout");
  try {
    await init();
    const l = layout(ARTICLE);
    out.textContent = JSON.stringify(l, null, 2);
    document.body.dataset.ready = "true";
  } catch (e) {
    out.textContent = `Could not compute the layout: ${e.message}`;
  }
}

main();
