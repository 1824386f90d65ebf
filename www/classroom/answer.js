// Reading a typed answer the way a student writes it: a unit typed with the number ("40.44 MB",
// "36 B", "8,000,112 bytes", "4.4×"), the locale's decimal comma ("40,44"), thin or plain spaces
// and underscores between digit groups. Returns what it read, so the page can say how it read it.

/** Units an answer may carry, in bytes: SI (kB = 1000 B) and IEC (KiB = 1024 B). */
export const UNITS = [
  ["B", 1],
  ["kB", 1e3],
  ["MB", 1e6],
  ["GB", 1e9],
  ["KiB", 2 ** 10],
  ["MiB", 2 ** 20],
  ["GiB", 2 ** 30],
];

// What people type for each unit, lower-cased. "KB" is read as kB (SI), as most tools print it.
const ALIASES = {
  b: "B",
  byte: "B",
  bytes: "B",
  kb: "kB",
  mb: "MB",
  gb: "GB",
  kib: "KiB",
  mib: "MiB",
  gib: "GiB",
};

/** The decimal separator of a locale ("." for en, "," for de, fr, …). */
export function decimalSeparator(locale) {
  try {
    return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  } catch {
    return ".";
  }
}

/**
 * Read an answer.
 * @param {string} text what was typed
 * @param {{ ratio?: boolean, decimal?: string }} opts ratio: the answer is a plain ratio ("×" or
 *   "x" allowed, no unit); decimal: the locale's decimal separator ("." or ",")
 * @returns {{ value: number, unit: string | null } | { error: string }} value as typed, in
 *   `unit` (null when none was typed: the caller's unit applies)
 */
export function readAnswer(text, { ratio = false, decimal = "." } = {}) {
  let t = String(text).trim();
  if (t === "") return { error: "Enter a number" };
  let unit = null;
  if (ratio) t = t.replace(/\s*[×xX]$/, "");
  else {
    // "36 bytes per element", "36 B/element", "36 B each": the question's own words.
    t = t.replace(/\s*(\/\s*|per\s+)(element|item|int|float|value)s?$|\s+each$/i, "");
    const m = /^(.*?)\s*([a-zA-Z]+)$/.exec(t);
    if (m) {
      // A lower-case b is a bit (Mb: megabits): say so rather than read bytes.
      // ("kb" is read as kB, as people write it.)
      if (/^(M|G|Ki|Mi|Gi)?b$/.test(m[2]))
        return {
          error: `"${m[2]}" is in bits (b); bytes are B: write ${m[2].slice(0, -1)}B`,
        };
      unit = ALIASES[m[2].toLowerCase()];
      if (!unit) return { error: `"${m[2].slice(0, 12)}" is not a unit: use B, kB, MB, GB, KiB, MiB or GiB` };
      t = m[1];
    }
  }
  t = t.replace(/[\s_'\u00a0\u202f]/g, "");
  if (/^\d{1,3}(,\d{3}){2,}(\.\d+)?$/.test(t)) {
    // 8,000,112: two or more comma groups can only be thousands, in any locale.
    t = t.replace(/,/g, "");
  } else if (decimal === ",") {
    // 1.234.567,8: dots group the digits, the comma is the decimal point.
    t = t.replace(/\.(?=\d{3}(\D|$))/g, "").replace(",", ".");
  } else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) {
    // 8,000,112: commas group the digits.
    t = t.replace(/,/g, "");
  } else if (/^\d+,\d+$/.test(t)) {
    // 40,44: a decimal comma, whatever the browser's locale.
    t = t.replace(",", ".");
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t))
    return {
      error: `Enter a number${ratio ? "" : " with or without its unit"}, for example ${ratio ? "4.4" : "40.4 MB"}`,
    };
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: `${t.slice(0, 20)} is too large to be a number of bytes` };
  return { value, unit };
}
