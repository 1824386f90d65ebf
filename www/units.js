// Byte formatting, exact and labelled: plain bytes with thousands separators, SI (kB, MB: powers
// of 1000) or IEC (KiB, MiB: powers of 1024). Every figure can also be shown as exact bytes.

export const UNITS = {
  bytes: "bytes",
  si: "kB / MB (SI, 1000)",
  iec: "KiB / MiB (IEC, 1024)",
};

const group = new Intl.NumberFormat("en-US");

/** "40,448,728 bytes" */
export function exactBytes(b) {
  return `${group.format(Math.round(b))} ${Math.round(b) === 1 ? "byte" : "bytes"}`;
}

/** Bytes in the chosen unit system: "40,448,728 B", "40.45 MB" or "38.58 MiB". */
export function formatBytes(b, units = "si") {
  if (b === null || b === undefined || Number.isNaN(b)) return "—";
  if (units === "bytes") return `${group.format(Math.round(b))} B`;
  const base = units === "iec" ? 1024 : 1000;
  const names = units === "iec" ? ["B", "KiB", "MiB", "GiB", "TiB"] : ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let x = Math.abs(b);
  while (x >= base && i < names.length - 1) {
    x /= base;
    i++;
  }
  const sign = b < 0 ? "-" : "";
  if (i === 0) return `${sign}${group.format(Math.round(x))} B`;
  const digits = x >= 100 ? 1 : 2;
  return `${sign}${x.toFixed(digits)} ${names[i]}`;
}

/** Per-element figures keep two decimals: "40.45 bytes per element". */
export function perElement(b) {
  if (b === null || b === undefined) return "—";
  return `${b.toFixed(2)} B`;
}

export function formatCount(n) {
  return group.format(n);
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return "—";
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}
