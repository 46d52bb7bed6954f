/**
 * Test helpers for ONNX parity checks: run a graph in onnxruntime-node with plain feeds, and
 * compare its outputs with the in-process prediction (labels equal, probabilities within 1e-5).
 */
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import type { Matrix } from "../matrix";

export type Feed = Float64Array | string[];

/** Runs `bytes` once; numeric feeds are [N, k] float64, string feeds [N, 1]. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, { data: Feed; dims: number[] }>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, { data, dims }] of Object.entries(feeds)) {
    tensors[name] = Array.isArray(data) ? new ort.Tensor("string", data, dims) : new ort.Tensor("float64", data, dims);
  }
  return session.run(tensors);
}

/** The single "input" feed of a model exported without a transform. */
export function matrixFeed(X: Matrix): Record<string, { data: Feed; dims: number[] }> {
  return { input: { data: Float64Array.from(X.data), dims: [X.rows, X.cols] } };
}

export function argmax(p: ArrayLike<number>, row: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[row * k + c]! > p[row * k + best]!) best = c;
  return best;
}

/** Labels equal (as class names) and every probability within `tol`. Returns the largest gap. */
export function expectClassificationParity(out: Record<string, ort.Tensor>, expected: Float64Array, classes: readonly string[], tol = 1e-5): number {
  const k = classes.length;
  const n = expected.length / k;
  const proba = out.probabilities!;
  const label = out.label!;
  expect(proba.type).toBe("float32");
  expect(proba.dims).toEqual([n, k]);
  expect(["string", "int64"]).toContain(label.type);
  expect(label.dims).toEqual([n]);
  const p = proba.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < n * k; i++) worst = Math.max(worst, Math.abs(p[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
  const expectedLabels = Array.from({ length: n }, (_, i) => classes[argmax(expected, i, k)]);
  expect(Array.from(label.data as ArrayLike<string | bigint>, String)).toEqual(expectedLabels);
  return worst;
}

/** Values within `tol` relative to max(1, |expected|). */
export function expectRegressionParity(out: Record<string, ort.Tensor>, expected: Float64Array, tol = 1e-5): number {
  const v = out.variable!;
  expect(v.type).toBe("float32");
  expect(v.dims).toEqual([expected.length, 1]);
  const data = v.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(data[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst).toBeLessThanOrEqual(tol);
  return worst;
}

/** Feeds for an exported graph from a raw table, through the bindings the export reports. */
export function feedsFromTable(
  bindings: readonly { input: string; columns: string[]; kind: "number" | "string" }[],
  table: { columns: { name: string; kind: string; values: ArrayLike<unknown> }[]; rowCount: number },
): Record<string, { data: Feed; dims: number[] }> {
  const feeds: Record<string, { data: Feed; dims: number[] }> = {};
  const n = table.rowCount;
  for (const b of bindings) {
    const cols = b.columns.map((name) => table.columns.find((c) => c.name === name)!);
    const k = cols.length;
    if (b.kind === "string") {
      feeds[b.input] = { data: Array.from({ length: n * k }, (_, p) => (cols[p % k]!.values[Math.floor(p / k)] as string | null) ?? ""), dims: [n, k] };
    } else {
      feeds[b.input] = { data: Float64Array.from({ length: n * k }, (_, p) => cols[p % k]!.values[Math.floor(p / k)] as number), dims: [n, k] };
    }
  }
  return feeds;
}
