/**
 * Formatting shared by the run and results views. The locale is fixed (en-US) so figures read the
 * same in screenshots, tests and every browser, whatever the machine's locale.
 */
const LOCALE = "en-US";

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** "1,000". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1,000 rows", "1 row". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "420 ms", "4.2 s", "3m 12s", "1h 04m"; "—" for unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

/** Duration of something that may still be going: up to `now` while it has no end. */
export function elapsedMs(startedAt: number | null, finishedAt: number | null, now: number): number | null {
  if (startedAt === null) return null;
  return (finishedAt ?? now) - startedAt;
}

const dateTime = new Intl.DateTimeFormat(LOCALE, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** "Nov 23, 17:58:08". */
export function formatTimestamp(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return dateTime.format(new Date(ms));
}

/** "just now", "4 min ago", "3 h ago", then the date: for lists where recency matters most. */
export function formatRelative(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined) return "—";
  const seconds = Math.round((now - ms) / 1_000);
  if (seconds < 45) return "just now";
  if (seconds < 3_600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)} h ago`;
  return formatTimestamp(ms);
}

/**
 * A table cell's number. Integers stay as written (ids and years must not gain thousands
 * separators); fractions keep at most 4 decimals; very large or tiny magnitudes go exponential.
 */
export function formatCellNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Math.abs(value) < 1e15 ? value.toFixed(0) : value.toExponential(3);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e12)) return value.toExponential(3);
  return String(Number(value.toFixed(4)));
}

/** A metric in [0, 1] or an error: "0.912"; "—" when absent. */
export function formatMetric(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toFixed(digits);
}

/** 0.8751 -> "87.5%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

/** 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * Decimals for a number column, from a sample of its values: the most any value needs, up to 4.
 * Formatting a whole column to the same decimals lines the points up under right alignment.
 */
export function columnDecimals(sample: Iterable<number | string | null>): number {
  let decimals = 0;
  for (const v of sample) {
    if (typeof v !== "number" || !Number.isFinite(v) || Number.isInteger(v)) continue;
    const text = formatCellNumber(v);
    if (text.includes("e")) continue;
    const dot = text.indexOf(".");
    if (dot >= 0) decimals = Math.max(decimals, text.length - dot - 1);
    if (decimals >= 4) return 4;
  }
  return decimals;
}

/** A number cell in a column that shows `decimals` places (exponents stay for extreme values). */
export function formatColumnNumber(value: number, decimals: number): string {
  const plain = formatCellNumber(value);
  if (decimals === 0 || plain.includes("e") || !Number.isFinite(value)) return plain;
  return value.toFixed(decimals);
}
