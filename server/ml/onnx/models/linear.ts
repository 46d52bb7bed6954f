/**
 * Linear models as MatMul + Add: logistic regression (sigmoid for two classes, softmax for more,
 * mirroring predictProbaLogistic) and linear/ridge regression.
 */
import type { LogisticModelState } from "../../logistic-regression";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";

export function exportLogisticRegression({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const s = state as LogisticModelState;
  const what = "logistic regression";
  if (!Array.isArray(s?.coef) || !Array.isArray(s.intercept)) invalidState(what, "coef or intercept is missing");
  requireFeatureCount(what, s.nFeatures, nFeatures);
  const k = s.nClasses;
  if (!classes || classes.length !== k) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  if (k === 2) {
    // One coefficient row for class 1: p1 = sigmoid(x.w + b), p0 = 1 - p1.
    const w = g.double("logreg_coef", rowChecked(s.coef[0], nFeatures, what), [nFeatures, 1]);
    const b = g.double("logreg_intercept", [s.intercept[0] ?? 0], [1]);
    const z = g.op("Add", [g.op("MatMul", [features, w]), b]);
    const p1 = g.op("Sigmoid", [z]);
    const p0 = g.op("Sub", [g.double("one", [1], [1]), p1]);
    return { task: "classification", probabilities: g.op("Concat", [p0, p1], { axis: attr.int(1) }) };
  }
  if (s.coef.length !== k || s.intercept.length !== k) invalidState(what, `expected ${k} coefficient rows and intercepts`);
  // coef is [k][d]; MatMul wants [d, k].
  const W = new Float64Array(nFeatures * k);
  s.coef.forEach((row, c) => rowChecked(row, nFeatures, what).forEach((v, j) => (W[j * k + c] = v)));
  const z = g.op("Add", [g.op("MatMul", [features, g.double("logreg_coef", W, [nFeatures, k])]), g.double("logreg_intercept", s.intercept, [k])]);
  return { task: "classification", probabilities: g.op("Softmax", [z], { axis: attr.int(1) }) };
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
  const y = g.op("Add", [g.op("MatMul", [features, w]), g.double("linreg_intercept", [intercept], [1])]);
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
