/**
 * The contract every model in the library meets. Train, Cross-validate, Tune, Evaluate and Predict
 * only talk to models through it, so adding an algorithm is adding one module to registry.ts.
 */
import type { z } from "zod";
import type { Matrix } from "../matrix";

export type ModelTask = "classification" | "regression";

export interface FitContext<P> {
  task: ModelTask;
  /** Number of classes (class indices in y are 0..nClasses-1); 0 for regression. */
  nClasses: number;
  /** The model's own params, already parsed by its schema (defaults filled in). */
  params: P;
  seed: number;
  /** Fraction of the fit done, in [0, 1], with an optional message ("epoch 3/50"). */
  onProgress?(fraction: number, message?: string): void;
  signal?: AbortSignal;
  /** Column and class names, for messages only. */
  featureNames?: readonly string[];
  classNames?: readonly string[];
  log?(message: string): void;
  warn?(message: string): void;
  /** Where the fit ran ("cpu", "tensorflow (wasm)"); models that do not call it ran on "cpu". */
  onBackend?(name: string): void;
  device?: { kind: "cpu" } | { kind: "gpu"; index: number };
  /**
   * Threads the fit may start (a forest grows trees in parallel). Undefined = the model decides
   * (every core for big fits); 1 inside a tuning thread, which is already one of many.
   */
  threads?: number;
}

/**
 * One algorithm. `fit` gets y as class indices (Int32Array) for classification and as values
 * (Float64Array) for regression, and returns plain JSON state. `predict` returns row-major
 * probabilities (rows x nClasses, rows summing to 1) for a classifier and one value per row for a
 * regressor; it must not need anything but the state (it also runs in serving and in threads).
 */
export interface ModelSpec<S extends z.ZodObject = z.ZodObject, State = unknown> {
  id: string;
  title: string;
  /** One line for the inspector. */
  description: string;
  tasks: readonly ModelTask[];
  /**
   * Params with sklearn-like names and defaults. Keys are global across the library: a key used by
   * two models must be the same schema object (see params.ts), so Train can show one flat form.
   */
  params: S;
  /**
   * How the model treats a constant feature column: "ok" (trees, NB, kNN: ignored or harmless) or
   * "warn" (linear models and MLPs: it carries no information and can hurt conditioning).
   */
  constantColumns: "ok" | "warn";
  /**
   * The kernel-thread modules its fit runs on (server/ml/kernels.ts), if any: Train starts those
   * threads while it builds a large feature matrix (prestartModelThreads).
   */
  kernelThreads?: readonly URL[];
  /** Trains on TensorFlow.js, many times faster on a GPU: Train then asks for a GPU worker. */
  prefersGpu?: boolean;
  /** What Tune searches when the user gives no space: the params that matter most, with sensible ranges. */
  defaultSpace?: readonly SearchSpaceEntry[];
  fit(X: Matrix, y: Int32Array | Float64Array, ctx: FitContext<z.output<S>>): State | Promise<State>;
  predict(state: State, X: Matrix): Float64Array;
}

/** One dimension of a hyperparameter search (server/ml/search/space.ts validates and samples it). */
export interface SearchSpaceEntry {
  param: string;
  type: "float" | "log-float" | "int" | "choice";
  low?: number;
  high?: number;
  values?: (number | string | boolean | number[])[];
  steps?: number;
}

/** Identity helper that keeps the params type flowing from the schema into fit. */
export function defineModel<S extends z.ZodObject, State>(spec: ModelSpec<S, State>): ModelSpec<S, State> {
  return spec;
}
