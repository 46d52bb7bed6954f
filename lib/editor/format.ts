/** Short, stable renderings of times and devices for the canvas and lists. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** "CPU · wasm", "GPU 0", "GPU 1 · tensorflow": device first, backend only when it adds something. */
export function formatDevice(device: string | null | undefined, backend: string | null | undefined): string {
  const d = (device ?? "").trim();
  const pretty = /^cpu$/i.test(d) ? "CPU" : d.replace(/^gpu[:\s]*(\d+)$/i, "GPU $1");
  const b = (backend ?? "").trim();
  if (!pretty) return b;
  if (!b || pretty.toLowerCase().includes(b.toLowerCase())) return pretty;
  return `${pretty} · ${b}`;
}

const UNITS: [number, string][] = [
  [60_000, "min"],
  [3_600_000, "h"],
  [86_400_000, "d"],
];

/** "just now", "5 min ago", "3 h ago", "2 d ago", then a date. */
export function relativeTime(at: number, now = Date.now()): string {
  const diff = Math.max(0, now - at);
  if (diff < 45_000) return "just now";
  if (diff < UNITS[1][0]) return `${Math.round(diff / UNITS[0][0])} min ago`;
  if (diff < UNITS[2][0]) return `${Math.round(diff / UNITS[1][0])} h ago`;
  if (diff < 7 * UNITS[2][0]) return `${Math.round(diff / UNITS[2][0])} d ago`;
  return new Date(at).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** The first line of an error, for places with room for one. */
export function firstLine(text: string | null | undefined): string {
  return (text ?? "").split(/\r?\n/, 1)[0].trim();
}
