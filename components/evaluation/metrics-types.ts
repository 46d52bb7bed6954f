import type { ClassificationReport, MetricWarning, RegressionReport } from "@/server/ml/metrics";

/**
 * The metrics artifact the Evaluate stage writes: the report of server/ml/metrics plus what was
 * evaluated. Types come from the server module (type-only import), so the contract is written once.
 */
interface EvaluatedModel {
  model?: { algorithm: string; target: string; task: string };
  rows?: number;
}

export type ClassificationMetrics = ClassificationReport & EvaluatedModel;
export type RegressionMetrics = RegressionReport & EvaluatedModel;
export type MetricsArtifact = ClassificationMetrics | RegressionMetrics;
export type { MetricWarning };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Checks the fields the views index into. An artifact from an older or foreign stage that lacks
 * them is shown as raw JSON instead of crashing the panel.
 */
export function asMetrics(value: unknown): MetricsArtifact | null {
  if (!isObject(value)) return null;
  if (value.task === "classification") {
    const ok =
      Array.isArray(value.classes) &&
      typeof value.accuracy === "number" &&
      Array.isArray(value.perClass) &&
      isObject(value.averages) &&
      Array.isArray(value.confusionMatrix);
    return ok ? (value as unknown as ClassificationMetrics) : null;
  }
  if (value.task === "regression") {
    const ok = typeof value.mae === "number" && typeof value.rmse === "number" && typeof value.r2 === "number";
    return ok ? (value as unknown as RegressionMetrics) : null;
  }
  return null;
}

/** Model algorithm ids as people say them. */
const ALGORITHM_NAMES: Record<string, string> = {
  logistic_regression: "Logistic regression",
  "logistic-regression": "Logistic regression",
  linear_regression: "Linear regression",
  "linear-regression": "Linear regression",
  mlp: "MLP",
  random_forest: "Random forest",
  "random-forest": "Random forest",
  knn: "k-NN",
  naive_bayes: "Naive Bayes",
};

export function algorithmName(id: string | undefined): string | null {
  if (!id) return null;
  return ALGORITHM_NAMES[id] ?? id.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}
