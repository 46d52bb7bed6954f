/**
 * Every model param of the library, by its one global name. Models pick from here, so a name used by
 * two models (maxDepth for a tree and a forest) is literally the same schema: one meaning, one
 * default, one field in Train's flat form. Names follow scikit-learn's, camel-cased; where two
 * scikit-learn estimators use one name with different defaults or meanings, the second gets a
 * qualified name (ridge's `alpha` vs multinomial NB's `smoothingAlpha`).
 * Labels start with the model(s) they belong to, because the inspector lists them in one form.
 */
import { z } from "zod";

// Logistic regression (existing Train names and defaults: keep old pipelines working).
export const C = z.number().gt(0, "C must be greater than 0").max(1e6).default(1).describe("Logistic: inverse regularisation strength C");
export const maxIter = z.number().int().min(1).max(100_000).default(200).describe("Logistic: maximum iterations");

// Linear models
export const fitIntercept = z.boolean().default(true).describe("Linear/ridge: fit an intercept");
export const alpha = z.number().min(0).max(1e9).default(1).describe("Ridge: regularisation strength alpha");

// MLP (TensorFlow.js)
export const hiddenLayers = z
  .array(z.number().int().min(1).max(4096))
  .min(1, "Give at least one hidden layer")
  .max(10)
  .default([32])
  .describe("MLP: units per hidden layer");
export const epochs = z.number().int().min(1).max(10_000).default(50).describe("MLP/CNN: epochs");
export const learningRate = z.number().gt(0, "The learning rate must be greater than 0").max(10).default(0.01).describe("MLP/CNN: learning rate");
export const batchSize = z.number().int().min(1).max(65_536).default(64).describe("MLP/CNN: batch size");
export const activation = z.enum(["relu", "tanh"]).default("relu").describe("MLP: hidden-layer activation");
export const l2 = z.number().min(0).max(10).default(0).describe("MLP: L2 penalty on the weights");

// CNN (TensorFlow.js), on the pixel columns of Load images
export const convFilters = z
  .array(z.number().int().min(1).max(512))
  .min(1, "Give at least one conv layer")
  .max(5)
  .default([16, 32])
  .describe("CNN: filters per conv layer (each halves the image)");
export const denseUnits = z.number().int().min(1).max(4096).default(64).describe("CNN: units in the dense layer");

// k-nearest neighbours
export const nNeighbors = z.number().int().min(1).max(10_000).default(5).describe("kNN: number of neighbours k");
export const weights = z.enum(["uniform", "distance"]).default("uniform").describe("kNN: neighbour weights (uniform or 1/distance)");

// Naive Bayes
export const varSmoothing = z.number().min(0).max(1).default(1e-9).describe("Gaussian NB: variance smoothing (share of the largest variance)");
export const smoothingAlpha = z.number().min(0).max(1e6).default(1).describe("Multinomial NB: additive smoothing alpha");

// Trees (decision tree, random forest, gradient boosting)
export const maxDepth = z.number().int().min(1).max(1000).optional().describe("Trees: maximum depth (empty = unlimited)");
export const minSamplesSplit = z.number().int().min(2).max(1_000_000).default(2).describe("Tree/forest: minimum rows to split a node");
export const minSamplesLeaf = z.number().int().min(1).max(1_000_000).default(1).describe("Tree/forest: minimum rows in a leaf");
export const nEstimators = z
  .number()
  .int()
  .min(1)
  .max(10_000)
  .default(100)
  .describe("Forest/boosting: number of trees (boosting iterations, scikit-learn's max_iter)");
export const maxFeatures = z
  .enum(["auto", "sqrt", "log2", "all"])
  .default("auto")
  .describe("Forest: features tried per split (auto = sqrt for classes, all for numbers)");
export const bootstrap = z.boolean().default(true).describe("Forest: bootstrap samples per tree");
export const boostingLearningRate = z.number().gt(0).max(10).default(0.1).describe("Boosting: learning rate (shrinkage)");
export const maxLeafNodes = z.number().int().min(2).max(100_000).default(31).describe("Boosting: maximum leaves per tree");
export const boostingMinSamplesLeaf = z.number().int().min(1).max(1_000_000).default(20).describe("Boosting: minimum rows in a leaf");
export const l2Regularization = z.number().min(0).max(1e6).default(0).describe("Boosting: L2 regularisation of leaf values");
export const earlyStopping = z
  .enum(["auto", "on", "off"])
  .default("auto")
  .describe("Boosting: early stopping on a 10% validation split (auto = on above 10,000 rows)");
export const maxBins = z.number().int().min(2).max(255).default(255).describe("Boosting: histogram bins per feature");
