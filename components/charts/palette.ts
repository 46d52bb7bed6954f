/**
 * Categorical colours for per-class series: distinct in hue and similar in weight, so no class
 * looks more important than another; the order follows the class order everywhere.
 */
export const SERIES_COLORS = [
  "#2563eb",
  "#ea580c",
  "#0d9488",
  "#c026d3",
  "#ca8a04",
  "#dc2626",
  "#4f46e5",
  "#65a30d",
  "#0891b2",
  "#9333ea",
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

export const AXIS_COLOR = "#a1a1aa";
export const GRID_COLOR = "#f0f0f2";
export const REFERENCE_COLOR = "#c4c4cc";
