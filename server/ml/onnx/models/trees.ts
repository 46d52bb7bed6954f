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
 * Thresholds and leaf weights are float64 (the opset-3 `*_as_tensor` attributes) and so are the
 * inputs, so every split decides exactly as in-process: with float32 a held-out value equal to a
 * training midpoint (5.1 between 5.0 and 5.2) can fall on the wrong side. The op sums in float64
 * but outputs float32 (~1e-7 relative), which is far inside the 1e-5 budget.
 *
 * A big forest is split into several ops of at most MAX_NODES_PER_OP nodes whose sums are added in
 * float64 (then scaled by 1 / tree count for an average, and the base score added). onnxruntime
 * walks every tree of an op for one row before the next row, so one op over a whole fully grown
 * forest (millions of nodes) misses the cache on nearly every node: on 100 trees x 20k nodes, one
 * op took 620-740 ms for 25k rows and ops of 1-10 trees 230-270 ms. Votes of pure leaves are whole
 * numbers, exact in float32, so a forest's tied probabilities stay tied as in-process.
 */
import type { TreeEnsembleState } from "../../trees/types";
import { attr, ML_DOMAIN } from "../builder";
import { TensorType } from "../proto";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";

/** Nodes per TreeEnsembleRegressor op (see the header): ~3 MB of onnxruntime's node records. */
const MAX_NODES_PER_OP = 131_072;

export function exportTreeEnsemble({ g, features, nFeatures, state, classes, task }: ExporterInput): ExporterOutput {
  const s = state as TreeEnsembleState;
  const what = "tree ensemble";
  if (!Array.isArray(s?.trees) || s.trees.length === 0) invalidState(what, "it has no trees");
  requireFeatureCount(what, s.nFeatures, nFeatures);
  const nOut = s.nOutputs;
  if (!Number.isInteger(nOut) || nOut < 1) invalidState(what, `nOutputs is ${nOut}`);
  if (s.task !== task) invalidState(what, `its task is ${s.task} but the model's is ${task}`);

  s.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    if (tree.threshold.length !== n || tree.left.length !== n || tree.right.length !== n || tree.value.length < n * nOut) {
      invalidState(what, `tree ${t}'s node arrays have different lengths`);
    }
  });
  // One op per group of trees, each summed in float64 by onnxruntime and output as float32, then
  // added up in float64 here.
  const parts: string[] = [];
  for (let t0 = 0; t0 < s.trees.length; ) {
    let t1 = t0 + 1;
    let nodes = s.trees[t0]!.feature.length;
    while (t1 < s.trees.length && nodes + s.trees[t1]!.feature.length <= MAX_NODES_PER_OP) nodes += s.trees[t1++]!.feature.length;
    const sum32 = treeEnsembleOp(g, features, s.trees.slice(t0, t1), t0, nOut, nFeatures, what);
    parts.push(g.op("Cast", [sum32], { to: attr.int(TensorType.DOUBLE) }));
    t0 = t1;
  }
  let raw = parts.length === 1 ? parts[0]! : g.op("Sum", parts);
  // An average as predictTreeEnsemble makes it: the sum times 1 / tree count.
  if (s.aggregate !== "sum" && s.trees.length > 1) raw = g.op("Mul", [raw, g.double("inverse_tree_count", [1 / s.trees.length], [1])]);
  const base = Array.from({ length: nOut }, (_, o) => s.baseScore?.[o] ?? 0);
  if (base.some((v) => v !== 0)) raw = g.op("Add", [raw, g.double("base_score", base, [nOut])]);

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

function treeEnsembleOp(g: ExporterInput["g"], features: string, trees: TreeEnsembleState["trees"], firstTree: number, nOut: number, nFeatures: number, what: string): string {
  let nNodes = 0;
  for (const tree of trees) nNodes += tree.feature.length;
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
  trees.forEach((tree, t) => {
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
        if (f >= nFeatures || l < 0 || r < 0 || l >= n || r >= n) invalidState(what, `tree ${firstTree + t} node ${i} has an invalid split`);
        featureIds[p] = f;
        modes[p] = "BRANCH_LEQ";
        values[p] = threshold[i]!;
        trueIds[p] = l;
        falseIds[p] = r;
      }
    }
  });
  return g.op(
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
      aggregate_function: attr.string("SUM"),
      base_values_as_tensor: attr.doubles(new Array<number>(nOut).fill(0)),
      post_transform: attr.string("NONE"),
    },
    { domain: ML_DOMAIN, name: "trees" },
  );
}
