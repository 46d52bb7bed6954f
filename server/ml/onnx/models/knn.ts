/**
 * k-nearest neighbours with standard ops. The squared distance to every training row is built one
 * feature at a time (d = x_j - t_j; s += d * d), which is predictKnn's arithmetic in its order, so
 * equal distances stay equal; TopK (smallest, ties to the lower index, as in-process) picks the
 * neighbours; their one-hot classes or targets are averaged with uniform or 1/distance weights
 * (only the zero-distance neighbours count when there are any, as scikit-learn does).
 *
 * The graph holds the training rows and computes an [N, nTrain] distance matrix: predict in
 * batches when the training set is large.
 */
import type { KnnState } from "../../knn";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";
import { TensorType } from "../proto";

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

  // Per feature: column j of the queries [N, 1] minus column j of the training rows [1, m].
  const axis1 = g.int64("axis_1", [1], [1]);
  let dist2: string | null = null;
  for (let j = 0; j < d; j++) {
    const xj = g.op("Gather", [features, g.int64(`feature_${j}`, [j], [1])], { axis: attr.int(1) }); // [N, 1]
    const tj = g.double(`knn_train_${j}`, Array.from({ length: m }, (_, t) => s.X[t * d + j]!), [1, m]);
    const diff = g.op("Sub", [xj, tj]);
    const sq = g.op("Mul", [diff, diff]);
    dist2 = dist2 ? g.op("Add", [dist2, sq]) : sq;
  }
  const [nearest, index] = g.node("TopK", [dist2!, g.int64("k", [k], [1])], { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) }, { outputs: 2 });

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
    const labels = g.op("Gather", [g.int64("knn_train_y", s.y, [m]), index!], { axis: attr.int(0) }); // [N, k]
    // [N, k, 1] == [c] -> [N, k, c] one-hot of each neighbour's class.
    const axis2 = g.int64("axis_2", [2], [1]);
    const isClass = g.op("Equal", [g.op("Unsqueeze", [labels, axis2]), g.int64("class_ids", Array.from({ length: c }, (_, i) => i), [c])]);
    const onehot = g.op("Cast", [isClass], { to: attr.int(TensorType.DOUBLE) });
    const votes = g.op("ReduceSum", [g.op("Mul", [onehot, g.op("Unsqueeze", [weights, axis2])]), axis1], { keepdims: attr.int(0) });
    return { task: "classification", probabilities: g.op("Div", [votes, total]) };
  }
  const targets = g.op("Gather", [g.double("knn_train_y", s.y, [m]), index!], { axis: attr.int(0) }); // [N, k]
  const sum = g.op("ReduceSum", [g.op("Mul", [targets, weights]), axis1], { keepdims: attr.int(1) });
  return { task: "regression", values: g.op("Div", [sum, total]) };
}

registerOnnxExporter("knn", exportKnn);
