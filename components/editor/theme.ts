/**
 * Colours that carry meaning on the canvas: one per stage category (node accent, palette dot,
 * minimap) and one per port type (handles, edges), so a Model port looks the same everywhere.
 */

const CATEGORY_COLORS: Record<string, string> = {
  Ingest: "#0284c7",
  Validate: "#0d9488",
  Transform: "#d97706",
  Train: "#7c3aed",
  Evaluate: "#059669",
  Predict: "#db2777",
};

const PORT_COLORS: Record<string, string> = {
  table: "#0ea5e9",
  model: "#8b5cf6",
  transform: "#f59e0b",
  metrics: "#10b981",
  report: "#ec4899",
};

const FALLBACK = ["#64748b", "#0891b2", "#65a30d", "#c026d3", "#ea580c"];

/** Unknown names (a plugin's category) still get a stable colour. */
function hashColor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return FALLBACK[h % FALLBACK.length];
}

export function categoryColor(category: string | undefined): string {
  if (!category) return "#a1a1aa";
  return CATEGORY_COLORS[category] ?? hashColor(category);
}

export function portColor(type: string | null | undefined): string {
  if (!type) return "#a1a1aa";
  return PORT_COLORS[type] ?? hashColor(type);
}
