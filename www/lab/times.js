// Durations for the lab's timing table: ns, µs, ms or s as the value needs, three significant
// digits, and never "0.0": a time the browser's clock cannot resolve is said to be below it.
// Browsers coarsen performance.now(): to 5 µs in a cross-origin isolated page, 100 µs otherwise.

/** The clock's resolution here, in ms (what the browser promises, at best). */
export const timerResolutionMs = () => (globalThis.crossOriginIsolated ? 0.005 : 0.1);

/** "312 ns", "41.2 µs", "2.20 ms", "1.25 s", from milliseconds. */
export function formatDuration(ms) {
  const ns = ms * 1e6;
  const [v, unit] =
    ns >= 1e9 ? [ns / 1e9, "s"] : ns >= 1e6 ? [ns / 1e6, "ms"] : ns >= 1e3 ? [ns / 1e3, "µs"] : [ns, "ns"];
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
}

/** A measured time: "2.20 ms", or "< 100 µs (below the timer's resolution)" when the clock cannot tell. */
export function formatTime(ms, res = timerResolutionMs()) {
  if (ms === null || ms === undefined) return "—";
  if (ms < res) return `< ${formatDuration(res)} (below the timer's resolution)`;
  return formatDuration(ms);
}

/** Per element: "31.2 ns per element", "40.0 µs per element", "< 20.0 µs per element". */
export function formatPer(ms, n, res = timerResolutionMs()) {
  if (ms === null || ms === undefined || !n) return "";
  if (ms < res) return `< ${formatDuration(res / n)} per element`;
  return `${formatDuration(ms / n)} per element`;
}
