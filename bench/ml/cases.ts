/**
 * What the benchmark runs: each studio model (a registry id and its params) next to the
 * scikit-learn estimator with the same hyperparameters, and the data sets it runs on.
 * The sklearn side gets the class name and keyword arguments as JSON (sklearn_peer.py builds the
 * estimator from them), so this file is the single place where both sides' settings live.
 */

/** Threads both sides may use: our forest/boosting threads, sklearn's n_jobs and OpenMP threads. */
export const THREADS = 2;
export const SEED = 0;

export type DatasetId = "iris" | "spam" | "clf-20kx50" | "clf-100kx50" | "clf-1Mx20" | "reg-20kx50" | "reg-100kx50";

export interface BenchCase {
  /** Registry id of the studio model (server/ml/models/registry.ts). */
  model: string;
  title: string;
  data: DatasetId[];
  /** Data sets run only with --all (each costs ~8 minutes on 2 cores). */
  slow?: DatasetId[];
  /** Our params, parsed by the model's schema (defaults filled in). */
  ours: Record<string, unknown>;
  /** scikit-learn estimator class by task, and its keyword arguments. */
  sklearn: { classification?: string; regression?: string; kwargs: Record<string, unknown> };
  /** ONNX predict in batches of this many rows (the k-NN graph builds an [N, nTrain] distance matrix). */
  onnxBatchRows?: number;
  /** Settings that differ between the two sides, printed under the table. */
  mismatch?: string;
}

export const CASES: BenchCase[] = [
  {
    model: "logistic-regression",
    title: "Logistic regression (L-BFGS)",
    data: ["iris", "spam", "clf-100kx50", "clf-1Mx20"],
    // The studio's schema default is maxIter 200; sklearn's max_iter is 100. Both run 100 here.
    ours: { C: 1, maxIter: 100, fitIntercept: true },
    sklearn: { classification: "LogisticRegression", kwargs: { C: 1.0, max_iter: 100, solver: "lbfgs", fit_intercept: true } },
  },
  {
    model: "decision-tree",
    title: "Decision tree",
    data: ["iris", "clf-100kx50", "clf-1Mx20", "reg-100kx50"],
    ours: {},
    sklearn: { classification: "DecisionTreeClassifier", regression: "DecisionTreeRegressor", kwargs: { random_state: SEED } },
  },
  {
    model: "random-forest",
    title: "Random forest (100 trees)",
    // Regression forests draw all 50 features per split (sklearn 1.2's default): the 20k subsample keeps it minutes, not tens.
    data: ["iris", "clf-100kx50", "clf-1Mx20", "reg-20kx50"],
    // 100 fully grown trees on 750k rows, measured on 2 cores: fit ~2 min ours + ~4.5 min sklearn, and
    // ~1.5 min of ONNX export, session and runs (a 390 MB graph): ~8 min for this one row.
    slow: ["clf-1Mx20"],
    ours: { nEstimators: 100 },
    sklearn: {
      classification: "RandomForestClassifier",
      regression: "RandomForestRegressor",
      kwargs: { n_estimators: 100, n_jobs: THREADS, random_state: SEED },
    },
  },
  {
    model: "gradient-boosting",
    title: "Histogram gradient boosting",
    data: ["iris", "clf-100kx50", "clf-1Mx20", "reg-100kx50"],
    ours: {},
    sklearn: { classification: "HistGradientBoostingClassifier", regression: "HistGradientBoostingRegressor", kwargs: { random_state: SEED } },
  },
  {
    model: "knn",
    title: "k-NN (k = 5, brute force)",
    data: ["iris", "clf-20kx50"],
    ours: { nNeighbors: 5, weights: "uniform" },
    // The exported graph's first pass is an [N, 15k] float64 distance matrix (600 MB for all 5k
    // test rows at once); 250 rows a batch (30 MB) was as fast as 1000 and faster than 50.
    onnxBatchRows: 250,
    sklearn: { classification: "KNeighborsClassifier", kwargs: { n_neighbors: 5, weights: "uniform" } },
    mismatch: "sklearn's algorithm='auto' picks a k-d tree for Iris (4 features) and brute force for 50 features; ours is always brute force.",
  },
  {
    model: "gaussian-nb",
    title: "Gaussian naive Bayes",
    data: ["iris", "clf-100kx50", "clf-1Mx20"],
    ours: {},
    sklearn: { classification: "GaussianNB", kwargs: {} },
  },
  {
    model: "multinomial-nb",
    title: "Multinomial naive Bayes (alpha = 1)",
    data: ["spam"],
    ours: { smoothingAlpha: 1 },
    sklearn: { classification: "MultinomialNB", kwargs: { alpha: 1.0 } },
  },
  {
    model: "linear-regression",
    title: "Linear regression",
    data: ["reg-100kx50"],
    ours: {},
    sklearn: { regression: "LinearRegression", kwargs: {} },
    mismatch: "ours solves the normal equations (Cholesky), sklearn LinearRegression uses scipy's lstsq (SVD-based).",
  },
  {
    model: "ridge",
    title: "Ridge regression (alpha = 1)",
    data: ["reg-100kx50"],
    ours: { alpha: 1 },
    sklearn: { regression: "Ridge", kwargs: { alpha: 1.0 } },
  },
  {
    model: "mlp",
    title: "MLP [32] relu, Adam, 50 epochs",
    // 50 epochs of mini-batches of 64 is ~12k Adam steps on 15k rows already; the 100k and 1M sets are skipped (see notes).
    data: ["iris", "clf-20kx50"],
    ours: { hiddenLayers: [32], epochs: 50, learningRate: 0.01, batchSize: 64, activation: "relu", l2: 0 },
    sklearn: {
      classification: "MLPClassifier",
      kwargs: {
        hidden_layer_sizes: [32],
        activation: "relu",
        solver: "adam",
        alpha: 0,
        batch_size: 64,
        learning_rate_init: 0.01,
        max_iter: 50,
        // sklearn stops after 10 epochs without improvement; this makes it run all 50, as ours does.
        n_iter_no_change: 50,
        random_state: SEED,
      },
    },
    mismatch:
      "ours trains on TensorFlow.js (the backend it picks is printed), sklearn on numpy; the two use different random initialisations and shuffles, so accuracy differs by chance as well as by implementation.",
  },
];
