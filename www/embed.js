// embed.html, the page inside a blog post's iframe: the widget's options come from the URL's
// parameters (the widget checks each and names a bad one), and the page reports its height to
// the host with postMessage, so a few lines there can size the iframe (see README).
import { DEFAULTS } from "./widget/state.js";
import "./widget/element.js";

const widget = document.querySelector("boxed-vs-packed");
const params = new URLSearchParams(location.search);
for (const name of [...Object.keys(DEFAULTS), "compact", "theme"]) {
  const v = params.get(name);
  // compact is an on/off switch: compact, compact=1 or compact=true turn it on.
  if (name === "compact") {
    if (v !== null && !["0", "false", "no", "off"].includes(v.trim().toLowerCase()))
      widget.setAttribute(name, "");
  } else if (v !== null) widget.setAttribute(name, v);
}
// The page's own colour scheme follows the widget's theme (light unless asked), so a light
// embed stays transparent on a light post whatever the reader's system setting.
const theme = params.get("theme");
document.documentElement.style.colorScheme =
  theme === "dark" ? "dark" : theme === "auto" ? "light dark" : "light";
widget.start();

let last = 0;
const report = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === last || window.parent === window) return;
  last = height;
  // Only a height goes out: nothing about the reader or the page.
  window.parent.postMessage({ type: "boxed-vs-packed:height", height }, "*");
};
new ResizeObserver(report).observe(document.documentElement);
