// Entry point of the page: loads the wasm model, shows layout() of the article's scenario and
// mounts the lab. (The explorable page is built on top of this in later steps.)
import { mountLab } from "./lab-panel.js";
import init, { layout } from "./pkg/boxed_vs_packed.js";

export const ARTICLE = {
  container: "list_append",
  values: { kind: "int_range", start: 0 },
  n: 1000000,
  profile: "cpython-3.12",
};

async function main() {
  const out = document.getElementById("layout");
  const nInput = document.getElementById("n");
  try {
    await init();
    out.textContent = JSON.stringify(layout(ARTICLE), null, 2);
    mountLab(document.getElementById("lab"), {
      getScenario: () => ({ ...ARTICLE, n: Number(nInput.value) }),
    });
    document.body.dataset.ready = "true";
  } catch (e) {
    out.textContent = `Could not compute the layout: ${e.message}`;
  }
}

main();
