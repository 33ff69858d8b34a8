// Small statistics and number formatting for the benchmark: medians, percentiles, ratios, and the text a
// table cell shows. Pure functions, no I/O.

/** The median of a list of numbers (undefined for an empty list). */
export function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank on the sorted values; undefined for an empty list). */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

/** Milliseconds as people read them: 0.84 ms, 12.3 ms, 431 ms, 2.41 s. */
export function ms(value) {
  if (value === undefined || !Number.isFinite(value)) return "—";
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1_000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Kibibytes as MB (1 MB = 1024 KiB, as /proc reports). */
export function mb(kib) {
  if (kib === undefined || !Number.isFinite(kib)) return "—";
  return `${(kib / 1024).toFixed(1)} MB`;
}

/** A ratio a / b as "0.42×", or undefined when either side is missing. */
export function ratio(a, b) {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return undefined;
  return a / b;
}

export function times(value) {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

/** 100000 → "100,000". */
export function count(n) {
  return n === undefined ? "—" : Math.round(n).toLocaleString("en-US");
}
