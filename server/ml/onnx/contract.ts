/**
 * The names and metadata keys an exported studio graph uses, shared by the exporter and the
 * runtime that reads the graph back (import, prediction).
 */

export const OUTPUT_LABEL = "label";
export const OUTPUT_PROBABILITIES = "probabilities";
export const OUTPUT_VALUE = "variable";
/** The single input of a model exported without a transform. */
export const MATRIX_INPUT = "input";

/** Which table columns feed one graph input: one column ([N, 1]) or several ([N, k] matrix). */
export interface OnnxInputBinding {
  input: string;
  columns: string[];
  kind: "number" | "string";
}

/** Keys of ModelProto.metadata_props the studio writes and reads back on import. */
export const META = {
  format: "studio.format",
  task: "studio.task",
  classes: "studio.classes",
  target: "studio.target",
  targetKind: "studio.targetKind",
  algorithm: "studio.algorithm",
  features: "studio.features",
  inputs: "studio.inputs",
  outputs: "studio.outputs",
} as const;

