/**
 * Why a reported number is not what it looks like. FORMATS.md section 1 requires undefined ratios to be
 * reported as 0 *and flagged*, so every such substitution adds one of these to the metrics artifact.
 */
export type MetricWarningKind =
  | "zeroDivision" // a ratio was 0/0 and is reported as 0
  | "undefinedMetric" // a metric could not be computed at all and is reported as null (e.g. AUC with no positives)
  | "absentClass" // a known class occurs in neither y_true nor y_pred and is left out, as scikit-learn does
  | "constantTarget" // R^2 with zero target variance
  | "skippedZeroTargets"; // MAPE ignored rows whose target is 0

export interface MetricWarning {
  kind: MetricWarningKind;
  metric: string;
  classIndex?: number;
  className?: string;
  message: string;
}
