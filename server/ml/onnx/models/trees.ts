/**
 * Tree ensembles (decision tree, random forest, gradient boosting) from TreeEnsembleState.
 *
 * Every case goes through ai.onnx.ml TreeEnsembleRegressor with one target per output, then
 * standard ops: the averaged leaf vectors of a classifier are its probabilities; boosting's raw
 * scores go through Sigmoid (binary: p = [1 - s, s]) or Softmax. TreeEnsembleClassifier is not
 * used on purpose: its two-class handling in onnxruntime derives labels and scores from class 1's
 * weights alone (see STACK.md trap 9), and it cannot average without pre-dividing the weights.
 * The label is the argmax of the probabilities, as in-process.
 *
 * Thresholds, leaf weights and base values are float64 (the opset-3 `*_as_tensor` attributes) and
 * so are the inputs, so every split decides exactly as in-process: with float32 a held-out value
 * equal to a training midpoint (5.1 between 5.0 and 5.2) can fall on the wrong side. The op sums
 * in float64 but outputs float32 (~1e-7 relative), which is far inside the 1e-5 budget.
 */
import type { TreeEnsembleState } from "../../trees/types";
import { attr, ML_DOMAIN } from "../builder";
import { TensorType } from "../proto";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";

export function exportTreeEnsemble({ g, features, nFeatures, state, classes, task }: ExporterInput): ExporterOutput {
  const s = state as TreeEnsembleState;
  const what = "tree ensemble";
  if (!Array.isArray(s?.trees) || s.trees.length === 0) invalidState(what, "it has no trees");
  requireFeatureCount(what, s.nFeatures, nFeatures);
  const nOut = s.nOutputs;
  if (!Number.isInteger(nOut) || nOut < 1) invalidState(what, `nOutputs is ${nOut}`);
  if (s.task !== task) invalidState(what, `its task is ${s.task} but the model's is ${task}`);

  // Flat node and leaf-weight arrays, preallocated: a fully grown forest has hundreds of thousands of nodes.
  let nNodes = 0;
  s.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    if (tree.threshold.length !== n || tree.left.length !== n || tree.right.length !== n || tree.value.length < n * nOut) {
      invalidState(what, `tree ${t}'s node arrays have different lengths`);
    }
    nNodes += n;
  });
  const treeIds = new Array<number>(nNodes);
  const nodeIds = new Array<number>(nNodes);
  const featureIds = new Array<number>(nNodes);
  const modes = new Array<string>(nNodes);
  const values = new Float64Array(nNodes);
  const trueIds = new Array<number>(nNodes);
  const falseIds = new Array<number>(nNodes);
  const tTree: number[] = [];
  const tNode: number[] = [];
  const tTarget: number[] = [];
  const tWeight: number[] = [];

  let p = 0;
  s.trees.forEach((tree, t) => {
    const { feature, threshold, left, right, value } = tree;
    const n = feature.length;
    for (let i = 0; i < n; i++, p++) {
      const f = feature[i]!;
      treeIds[p] = t;
      nodeIds[p] = i;
      if (f < 0) {
        featureIds[p] = 0;
        modes[p] = "LEAF";
        trueIds[p] = 0;
        falseIds[p] = 0;
        // Only non-zero weights are written (a multiclass boosting tree has one per leaf); a leaf
        // with none still gets one zero entry so every leaf is declared.
        let wrote = false;
        for (let o = 0; o < nOut; o++) {
          const w = value[i * nOut + o]!;
          if (w !== 0 || (!wrote && o === nOut - 1)) {
            tTree.push(t);
            tNode.push(i);
            tTarget.push(o);
            tWeight.push(w);
            wrote = true;
          }
        }
      } else {
        const l = left[i]!;
        const r = right[i]!;
        if (f >= nFeatures || l < 0 || r < 0 || l >= n || r >= n) invalidState(what, `tree ${t} node ${i} has an invalid split`);
        featureIds[p] = f;
        modes[p] = "BRANCH_LEQ";
        values[p] = threshold[i]!;
        trueIds[p] = l;
        falseIds[p] = r;
      }
    }
  });

  // ORT: AVERAGE gives sum / nTrees + base, SUM gives sum + base; the state's baseScore is zeros for averaging models.
  const base = Array.from({ length: nOut }, (_, o) => s.baseScore?.[o] ?? 0);
  const raw32 = g.op(
    "TreeEnsembleRegressor",
    [features],
    {
      n_targets: attr.int(nOut),
      nodes_treeids: attr.ints(treeIds),
      nodes_nodeids: attr.ints(nodeIds),
      nodes_featureids: attr.ints(featureIds),
      nodes_modes: attr.strings(modes),
      nodes_values_as_tensor: attr.doubles(values),
      nodes_truenodeids: attr.ints(trueIds),
      nodes_falsenodeids: attr.ints(falseIds),
      target_treeids: attr.ints(tTree),
      target_nodeids: attr.ints(tNode),
      target_ids: attr.ints(tTarget),
      target_weights_as_tensor: attr.doubles(tWeight),
      aggregate_function: attr.string(s.aggregate === "sum" ? "SUM" : "AVERAGE"),
      base_values_as_tensor: attr.doubles(base),
      post_transform: attr.string("NONE"),
    },
    { domain: ML_DOMAIN, name: "trees" },
  );
  // The op's output is float32 whatever the input; the rest of the graph works in float64.
  const raw = g.op("Cast", [raw32], { to: attr.int(TensorType.DOUBLE) });

  if (task === "regression") {
    if (nOut !== 1 || s.postTransform !== "none") invalidState(what, "a regressor needs one output and no post-transform");
    return { task: "regression", values: raw };
  }
  const k = s.nClasses ?? 0;
  if (!classes || classes.length !== k) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  if (s.postTransform === "none") {
    if (nOut !== k) invalidState(what, `an averaging classifier needs ${k} outputs per leaf, it has ${nOut}`);
    return { task: "classification", probabilities: raw };
  }
  if (s.postTransform === "logistic") {
    if (k !== 2 || nOut !== 1) invalidState(what, "a logistic post-transform needs two classes and one output");
    const p1 = g.op("Sigmoid", [raw]);
    const p0 = g.op("Sub", [g.double("one", [1], [1]), p1]);
    return { task: "classification", probabilities: g.op("Concat", [p0, p1], { axis: attr.int(1) }) };
  }
  if (s.postTransform === "softmax") {
    if (nOut !== k) invalidState(what, `a softmax post-transform needs ${k} outputs, it has ${nOut}`);
    return { task: "classification", probabilities: g.op("Softmax", [raw], { axis: attr.int(1) }) };
  }
  invalidState(what, `unknown post-transform '${String(s.postTransform)}'`);
}

registerOnnxExporter("tree-ensemble", exportTreeEnsemble);
