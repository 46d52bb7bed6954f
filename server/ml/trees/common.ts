/**
 * Shared pieces of the tree models: input checks with messages a user can act on, sklearn-style
 * parameter resolution, per-tree seeds, and conversion of grown trees into the plain-JSON
 * FittedTree of types.ts.
 */
import { MlInputError } from "../errors";
import { validateLabels } from "../labels";
import { assertFinite, type Matrix } from "../matrix";
import type { FittedTree } from "./types";

/** scikit-learn's max_features: null = all features; an integer >= 1 = that many; a number in (0, 1) = that fraction (at least one). */
export type MaxFeatures = null | "sqrt" | "log2" | number;

export interface TrainingNames {
  /** Only used to name columns and classes in error messages. */
  featureNames?: readonly string[];
  classNames?: readonly string[];
}

export function resolveMaxFeatures(maxFeatures: MaxFeatures, nFeatures: number): number {
  if (maxFeatures === null) return nFeatures;
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (typeof maxFeatures === "number" && Number.isFinite(maxFeatures) && maxFeatures > 0) {
    if (maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * nFeatures));
    if (Number.isInteger(maxFeatures)) {
      if (maxFeatures > nFeatures) {
        throw new MlInputError(`maxFeatures is ${maxFeatures} but the data has only ${nFeatures} feature column(s); use at most ${nFeatures}, or null for all`);
      }
      return maxFeatures;
    }
  }
  throw new MlInputError(
    `maxFeatures must be null (all), "sqrt", "log2", a whole number of features >= 1, or a fraction in (0, 1); got ${JSON.stringify(maxFeatures)}`,
  );
}

export function checkMaxDepth(maxDepth: number | null): number {
  if (maxDepth === null) return Infinity;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new MlInputError(`maxDepth must be a whole number >= 1, or null for unlimited depth (got ${maxDepth})`);
  }
  return maxDepth;
}

export function checkInt(name: string, value: number, min: number, hint = ""): number {
  if (!Number.isInteger(value) || value < min) {
    throw new MlInputError(`${name} must be a whole number >= ${min} (got ${value})${hint ? `; ${hint}` : ""}`);
  }
  return value;
}

export function checkSeed(seed: number): number {
  if (!Number.isInteger(seed)) throw new MlInputError(`seed must be a whole number (got ${seed})`);
  return seed;
}

/** Shape and finiteness checks shared by every tree fit. */
export function checkFeatures(X: Matrix, nLabels: number, names: TrainingNames, model: string): void {
  if (X.rows !== nLabels) {
    throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${nLabels} target values; they must match`);
  }
  if (X.rows < 2) {
    throw new MlInputError(`training data has ${X.rows} row(s); a ${model} needs at least 2`);
  }
  if (X.cols < 1) {
    throw new MlInputError(`training data has no feature columns; select at least one numeric feature for the ${model}`);
  }
  assertFinite(X, names.featureNames);
}

/** Labels are class indices 0..nClasses-1 and at least two classes occur. */
export function checkClassLabels(y: Int32Array, nClasses: number, names: TrainingNames): Float64Array {
  validateLabels(y, nClasses, "training labels");
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  let present = 0;
  let only = 0;
  for (let c = 0; c < nClasses; c++) {
    if (counts[c]! > 0) {
      present++;
      only = c;
    }
  }
  if (present < 2) {
    const label = names.classNames?.[only] !== undefined ? `'${names.classNames[only]}'` : `index ${only}`;
    throw new MlInputError(
      `the training labels hold a single class (${label}) in ${y.length} rows; a classifier needs at least two. Check the target column, or stratify the split by it`,
      { class: only },
    );
  }
  return counts;
}

export function checkRegressionTarget(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v - v !== 0) {
      throw new MlInputError(
        `the regression target has ${Number.isNaN(v) ? "NaN (a missing value)" : String(v)} at row ${i}; drop or impute rows with a missing target`,
        { row: i },
      );
    }
  }
}

/** A 32-bit seed for stream `i` of a run seeded with `seed` (tree i of a forest, the binning subsample...). */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul((seed >>> 0) ^ (Math.floor(seed / 0x100000000) >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(stream + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A tree as typed arrays (what the growers produce and workers transfer). */
export interface TypedTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export function toFittedTree(t: TypedTree): FittedTree {
  return {
    feature: toArray(t.feature),
    threshold: toArray(t.threshold),
    left: toArray(t.left),
    right: toArray(t.right),
    value: toArray(t.value),
  };
}

/** number[] from a typed array; an indexed loop is several times faster than Array.from's iterator. */
export function toArray(a: Int32Array | Float64Array): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}

/** An Error for an aborted signal: its reason when that is an Error, else an AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("training was aborted", "AbortError");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Lets pending events (an abort from the host) run between units of synchronous work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Worker threads to use: an explicit count as given (validated), else the machine's parallelism. */
export function checkThreads(threads: number | undefined, available: number): number {
  if (threads === undefined) return Math.max(1, available);
  return checkInt("threads", threads, 1);
}
