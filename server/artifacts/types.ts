import { z } from "zod";

/**
 * What an artifact holds. Port types are artifact kinds: an edge may only connect an output and an
 * input of the same kind, which is how the editor and the engine decide compatibility.
 */
export const ARTIFACT_KINDS = ["table", "model", "transform", "metrics", "report", "onnx"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const ARTIFACT_KIND_LABELS: Record<ArtifactKind, string> = {
  table: "Table",
  model: "Model",
  transform: "Fitted transform",
  metrics: "Metrics",
  report: "Report",
  onnx: "ONNX model",
};

/**
 * A reference to an immutable artifact in the content-addressed store. Workers and the engine pass
 * these, never the data itself (principle 4). `summary` is a small, kind-specific description
 * shown on the canvas and in previews (row and column counts of a table, a model's type, ...).
 */
export const artifactRefSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(ARTIFACT_KINDS),
  size: z.number().int().nonnegative(),
  summary: z.record(z.string(), z.unknown()).default({}),
});
export type ArtifactRef = z.infer<typeof artifactRefSchema>;
