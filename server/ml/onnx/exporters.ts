/**
 * The registry of model exporters. An exporter turns one fitted model state into ONNX nodes that
 * read the model's feature matrix ([N, nFeatures] float64, in the model's feature order) and end
 * in class probabilities (float64, or float32 when the exporter says so) or float64 regression
 * values. Everything else (raw-column inputs and the Encode/Scale preprocessing, the label output
 * unless the model's own op computes it, metadata) is shared and lives in export.ts, so a new
 * algorithm is one function here:
 *
 *   registerOnnxExporter("k-nearest-neighbours", ({ g, features, state }) => ({ task: "classification", probabilities: ... }));
 *
 * Exporters are looked up by the state's `kind` first, then by the model's `algorithm`.
 */
import { MlInputError } from "../errors";
import type { GraphBuilder } from "./builder";

export interface ExporterInput {
  g: GraphBuilder;
  /** Name of the [N, nFeatures] float64 tensor holding the model's features. */
  features: string;
  nFeatures: number;
  /** The model's fitted state (StudioModel.state), unvalidated. */
  state: unknown;
  task: "classification" | "regression";
  /** Class labels in class-index order (classification), null for regression. */
  classes: string[] | null;
  /** The classes as the label output carries them (classification), null for regression. */
  labels: ClassLabels | null;
  /** The model's feature names, for messages. */
  featureNames: readonly string[];
}

/**
 * The label output's values in class-index order: int64 for the whole-number classes of a number
 * target (as skl2onnx exports a classifier trained on integer labels), strings otherwise.
 */
export type ClassLabels = { type: "int64"; values: number[] } | { type: "string"; values: string[] };

export type ExporterOutput =
  | {
      task: "classification";
      /** [N, nClasses] probabilities in class-index order: float64, or float32 when `float32Probabilities`. */
      probabilities: string;
      float32Probabilities?: boolean;
      /**
       * [N, nClasses] scores whose row argmax is the label, in the probabilities' order (logits
       * before a softmax, say, which are cheaper to compare and need no link function). Default:
       * the probabilities.
       */
      labelScores?: string;
      /**
       * [N] labels of the input's `labels` type, when the model's own op computes them as the
       * argmax of the scores (TreeEnsembleClassifier): saves the ArgMax and Gather nodes.
       */
      label?: string;
    }
  /** [N, 1] float64 predicted values. */
  | { task: "regression"; values: string };

export type OnnxModelExporter = (input: ExporterInput) => ExporterOutput;

const exporters = new Map<string, OnnxModelExporter>();

export function registerOnnxExporter(key: string, exporter: OnnxModelExporter): void {
  exporters.set(key, exporter);
}

/** The exporter for a model: by its state's `kind`, else by its algorithm name. */
export function findOnnxExporter(algorithm: string, state: unknown): OnnxModelExporter | undefined {
  const kind = typeof state === "object" && state !== null ? (state as { kind?: unknown }).kind : undefined;
  return (typeof kind === "string" ? exporters.get(kind) : undefined) ?? exporters.get(algorithm);
}

export function onnxExporterKeys(): string[] {
  return [...exporters.keys()].sort();
}

/** Throws an MlInputError saying which part of a model state is malformed. */
export function invalidState(what: string, problem: string): never {
  throw new MlInputError(`The ${what} model's fitted state is not exportable: ${problem}. Re-train the model with this studio version.`);
}

export function requireFeatureCount(what: string, expected: number, actual: number): void {
  if (expected !== actual) {
    invalidState(what, `it was fitted on ${expected} features but the model lists ${actual} feature columns`);
  }
}
