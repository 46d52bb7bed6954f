/**
 * Tree ensembles (decision tree, random forest, gradient boosting) from TreeEnsembleState.
 *
 * Most cases go through ai.onnx.ml TreeEnsembleRegressor with one target per output, then
 * standard ops: the averaged leaf vectors of a classifier are its probabilities; boosting's raw
 * scores go through Sigmoid (binary: p = [1 - s, s]) or Softmax. The label is the argmax of the
 * probabilities, as in-process.
 *
 * A voting classifier of three classes or more whose trees fit in one op is one
 * TreeEnsembleClassifier instead: it sums the votes in float64 and labels a row with the first
 * class of the largest sum, as ArgMax does, so one node replaces the regressor, ArgMax, Gather and
 * the Identity onnxruntime keeps when one tensor feeds two outputs. A call on Iris's 39 test rows
 * went from ~19.1 to ~17.9 us. Two classes stay on the regressor: onnxruntime's two-class
 * TreeEnsembleClassifier derives labels and scores from class 1's weights alone (STACK.md trap 9).
 *
 * A voting classifier's label is the argmax of its vote sums (the average divides them all by the
 * tree count), and its probabilities are computed in float32, their output type. Two classes vote
 * with one target, D = class 1's leaf value minus class 0's, summed over the trees: the label is
 * class 1 exactly when D > 0, and p1 = (T + D) / 2T since a leaf's class fractions add up to 1.
 * onnxruntime's ensemble keeps a vector of scores per row for several targets and a single score
 * for one: 100 trees of 130k nodes on 250k rows went from ~240 to ~180 ms per 8 trees.
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
import { invalidState, registerOnnxExporter, requireFeatureCount, type ClassLabels, type ExporterInput, type ExporterOutput } from "../exporters";

/** Nodes per tree-ensemble op (see the header): ~3 MB of onnxruntime's node records. */
const MAX_NODES_PER_OP = 131_072;

export function exportTreeEnsemble({ g, features, nFeatures, state, classes, labels, task }: ExporterInput): ExporterOutput {
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
  const k = s.nClasses ?? 0;
  if (task === "classification" && (!classes || classes.length !== k)) invalidState(what, `it has ${k} classes but the model lists ${classes?.length ?? 0}`);
  const base = Array.from({ length: nOut }, (_, o) => s.baseScore?.[o] ?? 0);
  const voting = task === "classification" && s.postTransform === "none" && base.every((v) => v === 0);
  if (voting && nOut !== k) invalidState(what, `an averaging classifier needs ${k} outputs per leaf, it has ${nOut}`);

  if (voting && k === 2) {
    // Two classes: one target, class 1's leaf value minus class 0's (see the header).
    const trees = s.trees.map((tree) => ({ ...tree, value: Array.from({ length: tree.feature.length }, (_, i) => tree.value[2 * i + 1]! - tree.value[2 * i]!) }));
    const margin = float32(g, sumOfOps(g, features, trees, 1, nFeatures, what));
    const scores = g.op("Concat", [g.op("Neg", [margin]), margin], { axis: attr.int(1) });
    // p1 = S1 / T = (T + D) / 2T with D = S1 - S0, as the leaves' class fractions add up to 1.
    const half = 0.5 / s.trees.length;
    const probabilities = g.op("Add", [g.op("Mul", [scores, g.float("half_inverse_tree_count", [half], [1])]), g.float("one_half", [0.5], [1])]);
    return { task: "classification", probabilities, float32Probabilities: true, labelScores: scores };
  }
  const average = (votes: string) => (s.trees.length > 1 ? g.op("Mul", [votes, g.float("inverse_tree_count", [1 / s.trees.length], [1])]) : votes);
  if (voting && labels && opGroups(s.trees).length === 1) {
    // One op: TreeEnsembleClassifier's label is the first class of the largest vote sum, as ArgMax.
    const [label, votes] = treeClassifierOp(g, features, s.trees, labels, nFeatures, what);
    return { task: "classification", probabilities: average(votes), float32Probabilities: true, label };
  }
  if (voting) {
    // The label is the argmax of the vote sums; the probabilities, their average, are float32 anyway.
    const sums = sumOfOps(g, features, s.trees, nOut, nFeatures, what);
    return { task: "classification", probabilities: average(float32(g, sums)), float32Probabilities: true, labelScores: sums.name };
  }

  let raw = sumOfOps(g, features, s.trees, nOut, nFeatures, what);
  if (raw.type === "float") raw = { name: g.op("Cast", [raw.name], { to: attr.int(TensorType.DOUBLE) }), type: "double" };
  let values = raw.name;
  // An average as predictTreeEnsemble makes it: the sum times 1 / tree count.
  if (s.aggregate !== "sum" && s.trees.length > 1) values = g.op("Mul", [values, g.double("inverse_tree_count", [1 / s.trees.length], [1])]);
  if (base.some((v) => v !== 0)) values = g.op("Add", [values, g.double("base_score", base, [nOut])]);

  if (task === "regression") {
    if (nOut !== 1 || s.postTransform !== "none") invalidState(what, "a regressor needs one output and no post-transform");
    return { task: "regression", values };
  }
  if (s.postTransform === "none") {
    if (nOut !== k) invalidState(what, `an averaging classifier needs ${k} outputs per leaf, it has ${nOut}`);
    return { task: "classification", probabilities: values };
  }
  if (s.postTransform === "logistic") {
    if (k !== 2 || nOut !== 1) invalidState(what, "a logistic post-transform needs two classes and one output");
    const p1 = g.op("Sigmoid", [values]);
    const p0 = g.op("Sub", [g.double("one", [1], [1]), p1]);
    return { task: "classification", probabilities: g.op("Concat", [p0, p1], { axis: attr.int(1) }) };
  }
  if (s.postTransform === "softmax") {
    if (nOut !== k) invalidState(what, `a softmax post-transform needs ${k} outputs, it has ${nOut}`);
    return { task: "classification", probabilities: g.op("Softmax", [values], { axis: attr.int(1) }) };
  }
  invalidState(what, `unknown post-transform '${String(s.postTransform)}'`);
}

type Typed = { name: string; type: "float" | "double" };

/** The trees in groups of consecutive trees of at most MAX_NODES_PER_OP nodes (a bigger tree alone), one op each. */
function opGroups(trees: TreeEnsembleState["trees"]): { first: number; trees: TreeEnsembleState["trees"] }[] {
  const groups: { first: number; trees: TreeEnsembleState["trees"] }[] = [];
  for (let t0 = 0; t0 < trees.length; ) {
    let t1 = t0 + 1;
    let nodes = trees[t0]!.feature.length;
    while (t1 < trees.length && nodes + trees[t1]!.feature.length <= MAX_NODES_PER_OP) nodes += trees[t1++]!.feature.length;
    groups.push({ first: t0, trees: trees.slice(t0, t1) });
    t0 = t1;
  }
  return groups;
}

/**
 * The trees' summed leaf values, one op per group (opGroups). One op's float32 output is used as
 * it is; several are added in float64.
 */
function sumOfOps(g: ExporterInput["g"], features: string, trees: TreeEnsembleState["trees"], nOut: number, nFeatures: number, what: string): Typed {
  const parts = opGroups(trees).map((group) => treeEnsembleOp(g, features, group.trees, group.first, nOut, nFeatures, what));
  if (parts.length === 1) return { name: parts[0]!, type: "float" };
  return { name: g.op("Sum", parts.map((part) => g.op("Cast", [part], { to: attr.int(TensorType.DOUBLE) }))), type: "double" };
}

function float32(g: ExporterInput["g"], t: Typed): string {
  return t.type === "float" ? t.name : g.op("Cast", [t.name], { to: attr.int(TensorType.FLOAT) });
}

registerOnnxExporter("tree-ensemble", exportTreeEnsemble);

/** The TreeEnsembleRegressor op summing `nOut` targets over `trees`: its [N, nOut] float32 output. */
function treeEnsembleOp(g: ExporterInput["g"], features: string, trees: TreeEnsembleState["trees"], firstTree: number, nOut: number, nFeatures: number, what: string): string {
  const { nodes, leaves } = treeAttributes(trees, firstTree, nOut, nFeatures, what);
  return g.op(
    "TreeEnsembleRegressor",
    [features],
    {
      ...nodes,
      n_targets: attr.int(nOut),
      target_treeids: attr.ints(leaves.treeIds),
      target_nodeids: attr.ints(leaves.nodeIds),
      target_ids: attr.ints(leaves.ids),
      target_weights_as_tensor: attr.doubles(leaves.weights),
      aggregate_function: attr.string("SUM"),
      base_values_as_tensor: attr.doubles(new Array<number>(nOut).fill(0)),
      post_transform: attr.string("NONE"),
    },
    { domain: ML_DOMAIN, name: "trees" },
  );
}

/**
 * The TreeEnsembleClassifier op voting for `labels` over `trees` (three classes or more): its [N]
 * labels, the first class of the largest float64 vote sum, and its [N, k] float32 vote sums.
 */
function treeClassifierOp(g: ExporterInput["g"], features: string, trees: TreeEnsembleState["trees"], labels: ClassLabels, nFeatures: number, what: string): [string, string] {
  const { nodes, leaves } = treeAttributes(trees, 0, labels.values.length, nFeatures, what);
  const [label, votes] = g.node(
    "TreeEnsembleClassifier",
    [features],
    {
      ...nodes,
      class_treeids: attr.ints(leaves.treeIds),
      class_nodeids: attr.ints(leaves.nodeIds),
      class_ids: attr.ints(leaves.ids),
      class_weights_as_tensor: attr.doubles(leaves.weights),
      ...(labels.type === "int64" ? { classlabels_int64s: attr.ints(labels.values) } : { classlabels_strings: attr.strings(labels.values) }),
      post_transform: attr.string("NONE"),
    },
    { domain: ML_DOMAIN, name: "trees", outputs: 2 },
  );
  return [label!, votes!];
}

/** The `nodes_*` attributes shared by both ensemble ops, and the leaf weights (non-zero ones only). */
function treeAttributes(trees: TreeEnsembleState["trees"], firstTree: number, nOut: number, nFeatures: number, what: string) {
  let nNodes = 0;
  for (const tree of trees) nNodes += tree.feature.length;
  const treeIds = new Array<number>(nNodes);
  const nodeIds = new Array<number>(nNodes);
  const featureIds = new Array<number>(nNodes);
  const modes = new Array<string>(nNodes);
  const values = new Float64Array(nNodes);
  const trueIds = new Array<number>(nNodes);
  const falseIds = new Array<number>(nNodes);
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
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
            leaves.treeIds.push(t);
            leaves.nodeIds.push(i);
            leaves.ids.push(o);
            leaves.weights.push(w);
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
  const nodes = {
    nodes_treeids: attr.ints(treeIds),
    nodes_nodeids: attr.ints(nodeIds),
    nodes_featureids: attr.ints(featureIds),
    nodes_modes: attr.strings(modes),
    nodes_values_as_tensor: attr.doubles(values),
    nodes_truenodeids: attr.ints(trueIds),
    nodes_falsenodeids: attr.ints(falseIds),
  };
  return { nodes, leaves };
}
