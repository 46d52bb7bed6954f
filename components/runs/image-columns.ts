import { imageShapeOf, isPixelColumn, type ImageShape } from "@/server/ml/images/pixel-columns";

/** Where an image table keeps its pixels: the shape and the column index of each value, in order. */
export interface ImageLayout {
  shape: ImageShape;
  pixelIndices: number[];
  /** Multiply a stored value by this to get 0..255 (1 for raw bytes, 255 for 0..1 values). */
  toByte: number;
}

/**
 * The image a table's px_<row>_<col>_<channel> columns spell (from Load images), or null when there
 * is none or the pixels do not form a whole image. The value range is guessed from the first rows.
 */
export function imageLayout(columns: { name: string }[], sample: (number | string | null)[][]): ImageLayout | null {
  const pixelIndices = columns.flatMap((c, i) => (isPixelColumn(c.name) ? [i] : []));
  if (pixelIndices.length === 0) return null;
  let shape: ImageShape;
  try {
    shape = imageShapeOf(pixelIndices.map((i) => columns[i]!.name));
  } catch {
    return null;
  }
  if (shape.channels !== 1 && shape.channels !== 3) return null;
  let max = 0;
  for (const row of sample.slice(0, 50)) for (const i of pixelIndices) if (typeof row[i] === "number") max = Math.max(max, row[i] as number);
  return { shape, pixelIndices, toByte: max <= 1 ? 255 : 1 };
}

/** RGBA bytes for a canvas from one row's values. */
export function rowToRgba(row: (number | string | null)[], layout: ImageLayout): Uint8ClampedArray<ArrayBuffer> {
  const { shape, pixelIndices, toByte } = layout;
  const n = shape.height * shape.width;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = row[pixelIndices[p * shape.channels + (shape.channels === 3 ? c : 0)]!];
      out[p * 4 + c] = typeof v === "number" ? v * toByte : 0;
    }
    out[p * 4 + 3] = 255;
  }
  return out;
}
