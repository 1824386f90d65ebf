// Byte formatting, exact and labelled: plain bytes with thousands separators, SI (kB, MB: powers
// of 1000) or IEC (KiB, MiB: powers of 1024). Every figure can also be shown as exact bytes.

/** An accounting's field in layout() results, and its name for people. */
export const ACC = { getsizeof: "getsizeof", tracemalloc: "requested", allocator: "allocated" };
export const ACC_LABEL = {
  getsizeof: "sys.getsizeof",
  tracemalloc: "tracemalloc",
  allocator: "the allocator",
};

// Thousands separators by hand: creating an Intl.NumberFormat costs tens of milliseconds at
// start-up (it loads locale data), and the page needs only "1,234,567".
const group = {
  format(x) {
    const [whole, frac] = String(Math.abs(x)).split(".");
    const g = whole.replace(/\B(?=(\d{3})+$)/g, ",");
    return `${x < 0 ? "-" : ""}${g}${frac ? `.${frac}` : ""}`;
  },
};

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

/** formatBytes with its system named: "40.45 MB (SI)", "38.58 MiB (IEC)", "40,448,728 B". */
export function labelledBytes(b, units = "si") {
  const t = formatBytes(b, units);
  return units === "bytes" || t.endsWith(" B") ? t : `${t} (${units === "iec" ? "IEC" : "SI"})`;
}

export function formatCount(n) {
  return group.format(n);
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return "—";
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/** A duration per element in the unit that suits it: "3.2 ns", "41 µs", "2.2 ms". */
export function formatPerElement(ms, n) {
  if (ms === null || ms === undefined || !n) return "";
  const ns = (ms * 1e6) / n;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e7 ? 0 : 1)} ms per element`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e4 ? 0 : 1)} µs per element`;
  if (ns > 0 && ns < 0.1) return "under 0.1 ns per element";
  return `${ns.toFixed(1)} ns per element`;
}
