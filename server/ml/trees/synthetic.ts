/**
 * Deterministic synthetic data for the tree tests and the speed check: a linear signal on the
 * first 10 features plus non-linear terms (a sine, an interaction, a square) and Gaussian noise;
 * the remaining features are pure noise. Even columns are N(0, 1), odd ones U(-2, 2), and every
 * fifth column is rounded to whole numbers (few distinct values, like counts or codes).
 * Scikit-learn gets the same rows through writeCsv (speed-check.ts, the parity tests' comments).
 */
import { matrix, type Matrix } from "../matrix";
import { Rng } from "../rng";

export interface SyntheticData {
  X: Matrix;
  /** The noisy signal itself (regression target). */
  score: Float64Array;
  /** Classes from the score: 2 classes split at 0, 3 at the terciles of -0.6 / 0.6. */
  y: Int32Array;
}

export function makeSyntheticData(rows: number, cols: number, seed: number, nClasses: 2 | 3 = 2): SyntheticData {
  if (cols < 10) throw new RangeError("synthetic data needs at least 10 columns");
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  const x = X.data;
  const w = [1.2, -0.8, 0.6, 0.9, -1.1, 0.5, -0.4, 0.7, 0.3, -0.6];
  const score = new Float64Array(rows);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      let v = j % 2 === 0 ? rng.normal() : rng.uniform(-2, 2);
      if (j % 5 === 4) v = Math.round(v * 2);
      x[o + j] = v;
    }
    let s = 0;
    for (let j = 0; j < 10; j++) s += w[j]! * x[o + j]!;
    s += 1.5 * Math.sin(2 * x[o]!) + x[o + 1]! * x[o + 2]! + 0.8 * (x[o + 3]! * x[o + 3]! - 1.3) + 0.5 * rng.normal();
    score[i] = s;
    y[i] = nClasses === 2 ? (s > 0 ? 1 : 0) : s < -0.6 ? 0 : s < 0.6 ? 1 : 2;
  }
  return { X, score, y };
}

/** CSV with a header x0..x{d-1},y (full double precision), for the scikit-learn side. */
export function toCsv(X: Matrix, y: ArrayLike<number>): string {
  const parts: string[] = [];
  const header: string[] = [];
  for (let j = 0; j < X.cols; j++) header.push(`x${j}`);
  header.push("y");
  parts.push(header.join(","));
  for (let i = 0; i < X.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < X.cols; j++) row.push(String(X.data[i * X.cols + j]));
    row.push(String(y[i]));
    parts.push(row.join(","));
  }
  return parts.join("\n") + "\n";
}
