import { MlInputError } from "./errors";

/** Checks that every label is a class index in 0..nClasses-1 (the studio's label convention). */
export function validateLabels(y: Int32Array, nClasses: number, what = "labels"): void {
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new MlInputError(`nClasses must be an integer >= 2 (got ${nClasses}); a classifier needs at least two classes`);
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v < 0 || v >= nClasses) {
      throw new MlInputError(
        `${what} contain class index ${v} at row ${i}, outside 0..${nClasses - 1}; encode labels with the same class list as the model`,
        { row: i, value: v },
      );
    }
  }
}

/** Sorted class indices that occur in any of the given label arrays. */
export function presentLabels(nClasses: number, ...ys: Int32Array[]): number[] {
  const seen = new Uint8Array(nClasses);
  for (const y of ys) for (let i = 0; i < y.length; i++) seen[y[i]!] = 1;
  const out: number[] = [];
  for (let c = 0; c < nClasses; c++) if (seen[c]) out.push(c);
  return out;
}
