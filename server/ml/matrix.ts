import { MlInputError } from "./errors";

/** Row-major dense matrix: element (i, j) lives at data[i * cols + j]. */
export type Matrix = { data: Float64Array; rows: number; cols: number };

/** Matrices of at least this many values are stored in shared memory (see matrixStorage). */
export const SHARED_MATRIX_MIN_VALUES = 1 << 20;

/**
 * Storage for a new matrix to fit on. A large one lives in a SharedArrayBuffer, so the kernel
 * threads of a fit read it as it is: copying 75k x 50 rows into shared memory took ~0.1 s of a
 * 1 s logistic-regression fit, most of it page faults on the fresh memory. Only for fits: native
 * addons may refuse shared memory (onnxruntime-node fails with "Invalid argument").
 */
export function matrixStorage(length: number): Float64Array {
  return length >= SHARED_MATRIX_MIN_VALUES ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new MlInputError(`matrix shape ${rows}x${cols} is invalid; rows and cols must be non-negative integers`);
  }
  const buf = data ?? new Float64Array(rows * cols);
  if (buf.length !== rows * cols) {
    throw new MlInputError(
      `matrix data has ${buf.length} values but shape ${rows}x${cols} needs ${rows * cols}; check the row/column counts`,
    );
  }
  return { data: buf, rows, cols };
}

/** Builds a matrix from nested arrays (tests, small inputs); every row must have the same length. */
export function fromRows(rowsIn: ArrayLike<number>[]): Matrix {
  const rows = rowsIn.length;
  const cols = rows === 0 ? 0 : rowsIn[0]!.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = rowsIn[i]!;
    if (r.length !== cols) {
      throw new MlInputError(`row ${i} has ${r.length} values but row 0 has ${cols}; all rows need the same length`);
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = r[j]!;
  }
  return { data, rows, cols };
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(row(m, i)));
  return out;
}

/** A view (no copy) of row i; writes go through to the matrix. */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** Copies the given rows (in order, repeats allowed) into a new matrix: used for splits and batches. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrixStorage(indices.length * m.cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { data: out, rows: indices.length, cols: m.cols };
}

export function columnMeans(m: Matrix): Float64Array {
  const means = new Float64Array(m.cols);
  if (m.rows === 0) return means;
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.cols;
    for (let j = 0; j < m.cols; j++) means[j]! += m.data[base + j]!;
  }
  for (let j = 0; j < m.cols; j++) means[j]! /= m.rows;
  return means;
}

/**
 * Column standard deviations around the column means. ddof=0 (population) is the default
 * because that is what scikit-learn's StandardScaler divides by.
 */
export function columnStds(m: Matrix, ddof = 0): Float64Array {
  const means = columnMeans(m);
  const ss = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.cols;
    for (let j = 0; j < m.cols; j++) {
      const d = m.data[base + j]! - means[j]!;
      ss[j]! += d * d;
    }
  }
  const denom = m.rows - ddof;
  for (let j = 0; j < m.cols; j++) ss[j] = denom > 0 ? Math.sqrt(ss[j]! / denom) : 0;
  return ss;
}

/**
 * Throws MlInputError at the first NaN/Infinity in row-major order, naming the row and column
 * (by name when given) so the user can find the bad value in their table.
 */
export function assertFinite(m: Matrix, columnNames?: readonly string[]): void {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    // `v - v !== 0` is true exactly for NaN and +-Infinity and is cheaper than Number.isFinite on hot arrays.
    if (v - v !== 0) {
      const r = Math.floor(k / cols);
      const c = k % cols;
      const colLabel = columnNames?.[c] !== undefined ? `column '${columnNames[c]}'` : `column ${c}`;
      const what = Number.isNaN(v) ? "NaN (a missing value)" : String(v);
      throw new MlInputError(
        `${colLabel} has ${what} at row ${r}; impute or drop missing/infinite values before this step`,
        { row: r, column: c, columnName: columnNames?.[c], value: what },
      );
    }
  }
}
