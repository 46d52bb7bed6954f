/**
 * Gaussian and multinomial naive Bayes: the joint log-likelihood per class, then Softmax (which is
 * predict_proba's normalisation). A class without training rows has log prior -Infinity and gets
 * probability 0, as in-process.
 */
import type { GaussianNbState, MultinomialNbState } from "../../naive-bayes";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";

export function exportGaussianNb({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const s = state as GaussianNbState;
  const what = "Gaussian naive Bayes";
  requireFeatureCount(what, s?.nFeatures, nFeatures);
  const k = s.nClasses;
  const d = nFeatures;
  if (!classes || classes.length !== k) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  if (s.theta?.length !== k * d || s.variance?.length !== k * d || s.classLogPrior?.length !== k) invalidState(what, "theta, variance or priors have the wrong size");
  const base = Array.from({ length: k }, (_, c) => {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += Math.log(2 * Math.PI * s.variance[c * d + j]!);
    return s.classLogPrior[c]! - 0.5 * sum;
  });
  // Broadcast [N, 1, d] - [k, d] -> [N, k, d]: the squares are taken of differences, not expanded
  // (x^2 - 2x.theta + theta^2 loses digits in float32).
  const x3 = g.op("Unsqueeze", [features, g.int64("axis_1", [1], [1])]);
  const diff = g.op("Sub", [x3, g.double("nb_theta", s.theta, [k, d])]);
  const scaled = g.op("Mul", [g.op("Mul", [diff, diff]), g.double("nb_inv_var", s.variance.map((v) => 1 / v), [k, d])]);
  const sum = g.op("ReduceSum", [scaled, g.int64("axis_2", [2], [1])], { keepdims: attr.int(0) });
  const jll = g.op("Add", [g.op("Mul", [sum, g.double("minus_half", [-0.5], [1])]), g.double("nb_base", base, [k])]);
  return { task: "classification", probabilities: g.op("Softmax", [jll], { axis: attr.int(1) }) };
}

export function exportMultinomialNb({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const s = state as MultinomialNbState;
  const what = "multinomial naive Bayes";
  requireFeatureCount(what, s?.nFeatures, nFeatures);
  const k = s.nClasses;
  const d = nFeatures;
  if (!classes || classes.length !== k) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  if (s.featureLogProb?.length !== k * d || s.classLogPrior?.length !== k) invalidState(what, "featureLogProb or priors have the wrong size");
  const W = new Float64Array(d * k); // [d, k] = featureLogProb transposed
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) W[j * k + c] = s.featureLogProb[c * d + j]!;
  const jll = g.op("Add", [g.op("MatMul", [features, g.double("nb_log_prob", W, [d, k])]), g.double("nb_log_prior", s.classLogPrior, [k])]);
  return { task: "classification", probabilities: g.op("Softmax", [jll], { axis: attr.int(1) }) };
}

registerOnnxExporter("gaussian-nb", exportGaussianNb);
registerOnnxExporter("multinomial-nb", exportMultinomialNb);
