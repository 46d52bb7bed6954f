/**
 * How an image lives in a table: one number column per pixel and channel, named
 * `px_<row>_<col>_<channel>` in row-major height x width x channels order. Every table stage (Split,
 * Clean, Cross-validate, Tune, Predict, ONNX export) then works on images unchanged, and the CNN
 * reads the image shape back from the column names.
 */
import { MlInputError } from "../errors";

export function pixelColumnName(row: number, col: number, channel: number): string {
  return `px_${row}_${col}_${channel}`;
}

export function pixelColumnNames(height: number, width: number, channels: number): string[] {
  const names: string[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) names.push(pixelColumnName(y, x, c));
  return names;
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

const PIXEL = /^px_(\d+)_(\d+)_(\d+)$/;

export function isPixelColumn(name: string): boolean {
  return PIXEL.test(name);
}

/**
 * The image shape the feature columns spell, which must be exactly pixelColumnNames(h, w, c) in
 * order. Anything else (a missing pixel, an extra column, a shuffled order) is an error that names
 * the first column out of place.
 */
export function imageShapeOf(features: readonly string[]): ImageShape {
  let height = 0;
  let width = 0;
  let channels = 0;
  for (const name of features) {
    const m = PIXEL.exec(name);
    if (!m) {
      throw new MlInputError(
        `column '${name}' is not an image pixel; a CNN takes only the px_<row>_<col>_<channel> columns a Load images node makes. Add '${name}' to "Columns to leave out"`,
        { column: name },
      );
    }
    height = Math.max(height, Number(m[1]) + 1);
    width = Math.max(width, Number(m[2]) + 1);
    channels = Math.max(channels, Number(m[3]) + 1);
  }
  if (features.length === 0) throw new MlInputError("there are no pixel columns; connect the output of a Load images node");
  const expected = pixelColumnNames(height, width, channels);
  if (expected.length !== features.length || expected.some((name, i) => name !== features[i])) {
    const at = expected.findIndex((name, i) => name !== features[i]);
    throw new MlInputError(
      `the pixel columns do not form a whole ${height}x${width}x${channels} image in order (expected '${expected[at] ?? "no more columns"}' at position ${at + 1}, found '${features[at] ?? "nothing"}'); keep every px_ column of a Load images node, in its order`,
    );
  }
  return { height, width, channels };
}
