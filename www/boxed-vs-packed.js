// The embeddable widget: one <script type="module" src=".../www/boxed-vs-packed.js"> defines
// <boxed-vs-packed>. (dist/ builds this same file into one minified module plus shared chunks.)
export { BoxedVsPacked } from "./widget/element.js";
