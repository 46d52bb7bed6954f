/**
 * The fitted state of every tree model (a single decision tree, a random forest, gradient-boosted
 * trees), in one plain-JSON shape. Prediction, ONNX export (TreeEnsembleClassifier/Regressor) and
 * serving all read this, so a new tree algorithm only has to produce it.
 */
export interface FittedTree {
  /** Per node: the feature index tested, or -1 for a leaf. */
  feature: number[];
  /** Per node: go left when x[feature] <= threshold (ONNX mode BRANCH_LEQ). */
  threshold: number[];
  /** Per node: child indices (-1 for leaves). Node 0 is the root. */
  left: number[];
  right: number[];
  /**
   * Per node, `nOutputs` numbers, row-major (node i's values are value[i*nOutputs .. +nOutputs)).
   * Only leaves' values are used for prediction; internal nodes may hold their node's value for
   * inspection. Classification forests: class probabilities; regression: the mean; boosting: the
   * leaf's raw score already multiplied by the learning rate.
   */
  value: number[];
}

export interface TreeEnsembleState {
  kind: "tree-ensemble";
  algorithm: "decision-tree" | "random-forest" | "gradient-boosting";
  task: "classification" | "regression";
  nFeatures: number;
  /** Number of classes for classification, null for regression. */
  nClasses: number | null;
  /**
   * Length of each leaf's value vector. Classification by averaging: nClasses. Regression: 1.
   * Binary boosting: 1 (the raw score of class 1). Multiclass boosting: nClasses (a tree built for
   * class c has zeros in the other entries).
   */
  nOutputs: number;
  trees: FittedTree[];
  /** "average": mean of the trees' leaf vectors (forests, a single tree); "sum": baseScore + sum (boosting). */
  aggregate: "average" | "sum";
  /** Added to the sum before postTransform (boosting's initial raw prediction); zeros otherwise. */
  baseScore: number[];
  /** Applied last: "logistic" (binary boosting: p1 = sigmoid(raw), p0 = 1 - p1), "softmax" (multiclass boosting), "none". */
  postTransform: "none" | "logistic" | "softmax";
}
