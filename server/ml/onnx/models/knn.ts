/**
 * k-nearest neighbours with standard ops, in two passes so that it is fast and still picks exactly
 * the neighbours predictKnn picks:
 *
 * 1. Candidates: squared distances to every training row in the expanded form |x|^2 + |t|^2 - 2 x.t
 *    (one MatMul, on rows shifted by the training mean rounded to whole numbers, which keeps the
 *    rounding small), and the k + CANDIDATE_MARGIN nearest by those.
 * 2. Exact: the candidates in training-row order, their squared distances recomputed one feature at
 *    a time (d = x_j - t_j; s += d * d), which is predictKnn's arithmetic in its order, so equal
 *    distances stay equal; TopK (smallest, ties to the lower index, hence to the lower training
 *    row) picks the k neighbours.
 *
 * The expanded form rounds: two rows at almost the same distance can swap places in pass 1. The
 * margin makes that harmless unless more than CANDIDATE_MARGIN rows sit within rounding of the
 * k-th neighbour's distance without being at exactly equal distance on a grid that pass 1
 * computes exactly (whole numbers, halves, quarters...). Their one-hot classes or targets are then averaged with uniform or
 * 1/distance weights (only the zero-distance neighbours count when there are any, as
 * scikit-learn does).
 *
 * Pass 1 holds an [N, nTrain] matrix: predict in batches when the training set is large.
 */
import type { KnnState } from "../../knn";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";
import { TensorType } from "../proto";

/** Candidates beyond k kept from the expanded-form pass (see the header). */
const CANDIDATE_MARGIN = 16;

export function exportKnn({ g, features, nFeatures, state, classes, task }: ExporterInput): ExporterOutput {
  const s = state as KnnState;
  const what = "k-nearest neighbours";
  requireFeatureCount(what, s?.nFeatures, nFeatures);
  const d = nFeatures;
  const m = s.y?.length ?? 0;
  const k = s.nNeighbors;
  if (!Array.isArray(s.X) || s.X.length !== m * d || m === 0) invalidState(what, "the training rows are missing or have the wrong size");
  if (!Number.isInteger(k) || k < 1 || k > m) invalidState(what, `k is ${k} but there are ${m} training rows`);
  if (s.task !== task) invalidState(what, `its task is ${s.task} but the model's is ${task}`);

  // Pass 1: candidates by the expanded form, on rows centred on the training mean.
  const mean = new Float64Array(d);
  for (let t = 0; t < m; t++) for (let j = 0; j < d; j++) mean[j]! += s.X[t * d + j]!;
  // Rounded to whole numbers: subtracting a whole number near the values is exact, so
  // whole-number and other coarse-grid data (one-hot columns, counts) keep exact distances and
  // exact ties in pass 1 too.
  for (let j = 0; j < d; j++) mean[j] = Math.round(mean[j]! / m);
  const centredT = new Float64Array(d * m); // [d, m]
  const trainNorm = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < d; j++) {
      const v = s.X[t * d + j]! - mean[j]!;
      centredT[j * m + t] = v;
      trainNorm[t]! += v * v;
    }
  }
  const axis1 = g.int64("axis_1", [1], [1]);
  const xc = g.op("Sub", [features, g.double("knn_mean", mean, [1, d])]);
  const queryNorm = g.op("ReduceSum", [g.op("Mul", [xc, xc]), axis1], { keepdims: attr.int(1) }); // [N, 1]
  const cross = g.op("MatMul", [xc, g.double("knn_train_centred_t", centredT, [d, m])]); // [N, m]
  const approx = g.op("Sub", [g.op("Add", [queryNorm, g.double("knn_train_norm", trainNorm, [1, m])]), g.op("Mul", [g.double("two", [2], [1]), cross])]);
  const c = Math.min(m, k + CANDIDATE_MARGIN);
  const cCount = g.int64("candidates", [c], [1]);
  const [, byApprox] = g.node("TopK", [approx, cCount], { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) }, { outputs: 2 });
  const [candidates] = g.node("TopK", [byApprox!, cCount], { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) }, { outputs: 2 }); // [N, c], ascending rows

  // Pass 2: exact squared distances to the candidates, feature by feature.
  const rows = g.op("Gather", [g.double("knn_train", s.X, [m, d]), candidates!], { axis: attr.int(0) }); // [N, c, d]
  let dist2: string | null = null;
  for (let j = 0; j < d; j++) {
    const xj = g.op("Gather", [features, g.int64(`feature_${j}`, [j], [1])], { axis: attr.int(1) }); // [N, 1]
    const tj = g.op("Gather", [rows, g.int64(`feature_${j}_scalar`, [j], [])], { axis: attr.int(2) }); // [N, c]
    const diff = g.op("Sub", [xj, tj]);
    const sq = g.op("Mul", [diff, diff]);
    dist2 = dist2 ? g.op("Add", [dist2, sq]) : sq;
  }
  const [nearest, position] = g.node("TopK", [dist2!, g.int64("k", [k], [1])], { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) }, { outputs: 2 });
  const index = g.op("GatherElements", [candidates!, position!], { axis: attr.int(1) }); // [N, k] training rows

  let weights: string;
  if (s.weights === "distance") {
    const isZero = g.op("Equal", [nearest!, g.double("zero", [0], [1])]);
    const anyZero = g.op("ReduceMax", [g.op("Cast", [isZero], { to: attr.int(TensorType.DOUBLE) })], { axes: attr.ints([1]), keepdims: attr.int(1) });
    const inverse = g.op("Div", [g.double("one", [1], [1]), g.op("Sqrt", [nearest!])]);
    weights = g.op("Where", [g.op("Cast", [anyZero], { to: attr.int(TensorType.BOOL) }), g.op("Cast", [isZero], { to: attr.int(TensorType.DOUBLE) }), inverse]);
  } else if (s.weights === "uniform") {
    weights = g.op("Expand", [g.double("one", [1], [1]), g.op("Shape", [nearest!])]);
  } else {
    invalidState(what, `unknown weights '${String(s.weights)}'`);
  }
  const total = g.op("ReduceSum", [weights, axis1], { keepdims: attr.int(1) }); // [N, 1]

  if (task === "classification") {
    const c = s.nClasses ?? 0;
    if (!classes || classes.length !== c) invalidState(what, `it has ${c} classes but the model lists ${classes?.length ?? 0}`);
    const labels = g.op("Gather", [g.int64("knn_train_y", s.y, [m]), index], { axis: attr.int(0) }); // [N, k]
    // [N, k, 1] == [c] -> [N, k, c] one-hot of each neighbour's class.
    const axis2 = g.int64("axis_2", [2], [1]);
    const isClass = g.op("Equal", [g.op("Unsqueeze", [labels, axis2]), g.int64("class_ids", Array.from({ length: c }, (_, i) => i), [c])]);
    const onehot = g.op("Cast", [isClass], { to: attr.int(TensorType.DOUBLE) });
    const votes = g.op("ReduceSum", [g.op("Mul", [onehot, g.op("Unsqueeze", [weights, axis2])]), axis1], { keepdims: attr.int(0) });
    return { task: "classification", probabilities: g.op("Div", [votes, total]) };
  }
  const targets = g.op("Gather", [g.double("knn_train_y", s.y, [m]), index], { axis: attr.int(0) }); // [N, k]
  const sum = g.op("ReduceSum", [g.op("Mul", [targets, weights]), axis1], { keepdims: attr.int(1) });
  return { task: "regression", values: g.op("Div", [sum, total]) };
}

registerOnnxExporter("knn", exportKnn);
