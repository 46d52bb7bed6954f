/**
 * Linear models as one Gemm (x.W + b in float64, the bias fused in): logistic regression (sigmoid
 * for two classes, softmax for more, as predictProbaLogistic) and linear/ridge regression.
 *
 * The link function runs on the logits cast to float32: onnxruntime's float64 element-wise
 * kernels cost ~4 ns a value where its float32 ones are vectorised (on 250k rows a float64
 * Sigmoid, Sub and Add took 1 ms each; the float32 Sigmoid 0.08 ms). The label is decided on
 * scores whose order is the float64 one, so it stays the in-process argmax.
 */
import type { LogisticModelState } from "../../logistic-regression";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";
import { TensorType } from "../proto";

export function exportLogisticRegression({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const s = state as LogisticModelState;
  const what = "logistic regression";
  if (!Array.isArray(s?.coef) || !Array.isArray(s.intercept)) invalidState(what, "coef or intercept is missing");
  requireFeatureCount(what, s.nFeatures, nFeatures);
  const k = s.nClasses;
  if (!classes || classes.length !== k) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  const float32 = { to: attr.int(TensorType.FLOAT) };
  if (k === 2) {
    // One coefficient row for class 1: z = x.w + b, p1 = sigmoid(z), p0 = 1 - p1 = sigmoid(-z).
    const w = g.double("logreg_coef", rowChecked(s.coef[0], nFeatures, what), [nFeatures, 1]);
    const z = g.op("Gemm", [features, w, g.double("logreg_intercept", [s.intercept[0] ?? 0], [1])]);
    // float32 keeps z's sign (bar |z| < 1.4e-45), so the argmax of [-z, z] is class 1 exactly
    // when p1 > p0, and a tie at z = 0 goes to class 0 as in-process.
    const z32 = g.op("Cast", [z], float32);
    const scores = g.op("Concat", [g.op("Neg", [z32]), z32], { axis: attr.int(1) });
    return { task: "classification", probabilities: g.op("Sigmoid", [scores]), float32Probabilities: true, labelScores: scores };
  }
  if (s.coef.length !== k || s.intercept.length !== k) invalidState(what, `expected ${k} coefficient rows and intercepts`);
  // coef is [k][d]; Gemm wants [d, k].
  const W = new Float64Array(nFeatures * k);
  s.coef.forEach((row, c) => rowChecked(row, nFeatures, what).forEach((v, j) => (W[j * k + c] = v)));
  const z = g.op("Gemm", [features, g.double("logreg_coef", W, [nFeatures, k]), g.double("logreg_intercept", s.intercept, [k])]);
  // The softmax keeps the logits' order: the label is their float64 argmax.
  const probabilities = g.op("Softmax", [g.op("Cast", [z], float32)], { axis: attr.int(1) });
  return { task: "classification", probabilities, float32Probabilities: true, labelScores: z };
}

/**
 * Linear and ridge regression: y = x.coef + intercept. Accepts `coef` as a vector or a single-row
 * matrix and `intercept` as a number or a one-element array, so either layout a fitter picks works.
 */
export function exportLinearRegression({ g, features, nFeatures, state }: ExporterInput): ExporterOutput {
  const what = "linear regression";
  const s = state as { coef?: number[] | number[][]; intercept?: number | number[]; nFeatures?: number };
  if (!s || !Array.isArray(s.coef)) invalidState(what, "coef is missing");
  const coef = Array.isArray(s.coef[0]) ? (s.coef as number[][]) : [s.coef as number[]];
  if (coef.length !== 1) invalidState(what, `it has ${coef.length} targets; export supports one`);
  const intercept = Array.isArray(s.intercept) ? (s.intercept[0] ?? 0) : (s.intercept ?? 0);
  if (typeof s.nFeatures === "number") requireFeatureCount(what, s.nFeatures, nFeatures);
  const w = g.double("linreg_coef", rowChecked(coef[0], nFeatures, what), [nFeatures, 1]);
  const y = g.op("Gemm", [features, w, g.double("linreg_intercept", [intercept], [1])]);
  return { task: "regression", values: y };
}

function rowChecked(row: unknown, n: number, what: string): number[] {
  if (!Array.isArray(row) || row.length !== n || !row.every((v) => typeof v === "number" && Number.isFinite(v))) {
    invalidState(what, `a coefficient row does not hold ${n} finite numbers`);
  }
  return row as number[];
}

registerOnnxExporter("logistic-regression", exportLogisticRegression);
registerOnnxExporter("linear-regression", exportLinearRegression);
registerOnnxExporter("ridge-regression", exportLinearRegression);
registerOnnxExporter("ridge", exportLinearRegression);
