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
