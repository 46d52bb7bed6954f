/**
 * Evaluation entry points. Definitions follow /shared/docs/FORMATS.md section 1 (scikit-learn's), and
 * the returned reports are plain JSON (no NaN/Infinity, no typed arrays) so they can be stored as the
 * run's metrics artifact and charted directly.
 */
import { MlInputError } from "./errors";
import { presentLabels } from "./labels";
import type { MetricWarning } from "./metric-warnings";
import { accuracy, confusionMatrix, precisionRecallFscore, validateLabelPair } from "./classification-metrics";
import { averagePrecision, calibrationCurve, countPositives, downsampleIndices, precisionRecallCurve, rocAuc, rocCurve, type CalibrationBin } from "./curves";
import { logLoss, validateProbabilities } from "./probabilities";

export * from "./classification-metrics";
export * from "./curves";
export * from "./probabilities";
export * from "./regression-metrics";
export type { MetricWarning, MetricWarningKind } from "./metric-warnings";

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface PerClassScore {
  /** Per class; null where undefined (no positive or no negative rows), with a warning. */
  perClass: Record<string, number | null>;
  /** Unweighted mean over the classes whose value is defined. */
  macro: number | null;
  /** Binary only: the class whose perClass value is scikit-learn's binary score (roc_auc_score / average_precision_score on p[:, 1]). */
  positiveClass: string | null;
}

export interface ClassificationReport {
  task: "classification";
  /** Sorted union of the classes occurring in y_true or y_pred (scikit-learn's default labels). */
  classes: string[];
  accuracy: number;
  perClass: { class: string; precision: number; recall: number; f1: number; support: number }[];
  averages: { macro: AveragedScores; weighted: AveragedScores; micro: AveragedScores };
  /** Rows: true class, columns: predicted class, both in `classes` order. */
  confusionMatrix: number[][];
  rocAuc: PerClassScore | null;
  averagePrecision: PerClassScore | null;
  logLoss: number | null;
  curves: {
    roc: { class: string; auc: number; points: { fpr: number; tpr: number }[] }[];
    pr: { class: string; averagePrecision: number; points: { recall: number; precision: number }[] }[];
    calibration: { class: string; bins: CalibrationBin[] }[];
  };
  warnings: MetricWarning[];
}

export interface ClassificationReportOptions {
  /** Uniform bins of the reliability diagrams. Default 10. */
  calibrationBins?: number;
  /** Cap on points per displayed curve; AUC and AP always use the full curve. Default 200. */
  maxCurvePoints?: number;
}

/**
 * Everything the evaluation view shows for a classifier. `proba` (rows x classNames.length, rows summing
 * to 1) may be null for models without probabilities; AUC, AP, log loss and curves are then null/empty.
 */
export function classificationReport(
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: Float64Array | null,
  classNames: readonly string[],
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const k = classNames.length;
  if (new Set(classNames).size !== k) {
    throw new MlInputError(`class names must be unique (got ${JSON.stringify(classNames)}); rename duplicate classes`);
  }
  validateLabelPair(yTrue, yPred, k);
  const n = yTrue.length;
  if (proba) validateProbabilities(proba, n, k);
  const maxPoints = options.maxCurvePoints ?? 200;
  const nBins = options.calibrationBins ?? 10;

  const labels = presentLabels(k, yTrue, yPred);
  const warnings: MetricWarning[] = [];
  for (let c = 0; c < k; c++) {
    if (!labels.includes(c)) {
      warnings.push({
        kind: "absentClass",
        metric: "all",
        classIndex: c,
        className: classNames[c]!,
        message: `class '${classNames[c]}' occurs neither in the true nor in the predicted labels; it is left out of the per-class table and averages (as scikit-learn does)`,
      });
    }
  }

  const prf = precisionRecallFscore(yTrue, yPred, k, { labels, classNames });
  warnings.push(...prf.warnings);
  const avg = (a: { precision: number; recall: number; fBeta: number }): AveragedScores => ({
    precision: a.precision,
    recall: a.recall,
    f1: a.fBeta,
  });

  const report: ClassificationReport = {
    task: "classification",
    classes: labels.map((c) => classNames[c]!),
    accuracy: accuracy(yTrue, yPred),
    perClass: prf.perClass.map((s) => ({ class: s.className, precision: s.precision, recall: s.recall, f1: s.fBeta, support: s.support })),
    averages: { macro: avg(prf.macro), weighted: avg(prf.weighted), micro: avg(prf.micro) },
    confusionMatrix: confusionMatrix(yTrue, yPred, k, labels),
    rocAuc: null,
    averagePrecision: null,
    logLoss: null,
    curves: { roc: [], pr: [], calibration: [] },
    warnings,
  };
  if (!proba) return report;

  report.logLoss = logLoss(yTrue, proba, k);
  const aucPer: Record<string, number | null> = {};
  const apPer: Record<string, number | null> = {};
  const positive = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (const c of labels) {
    const name = classNames[c]!;
    for (let i = 0; i < n; i++) {
      positive[i] = yTrue[i] === c ? 1 : 0;
      scores[i] = proba[i * k + c]!;
    }
    const nPos = countPositives(positive);
    if (nPos === 0 || nPos === n) {
      const why = nPos === 0 ? `no true sample of class '${name}'` : `every true sample is class '${name}'`;
      aucPer[name] = null;
      warnings.push({ kind: "undefinedMetric", metric: "rocAuc", classIndex: c, className: name, message: `ROC AUC of class '${name}' is undefined (${why}); reported as null` });
    } else {
      const auc = rocAuc(positive, scores);
      aucPer[name] = auc;
      const roc = rocCurve(positive, scores);
      report.curves.roc.push({
        class: name,
        auc,
        points: downsampleIndices(roc.fpr, roc.tpr, maxPoints).map((j) => ({ fpr: roc.fpr[j]!, tpr: roc.tpr[j]! })),
      });
    }
    if (nPos === 0) {
      apPer[name] = null;
      warnings.push({ kind: "undefinedMetric", metric: "averagePrecision", classIndex: c, className: name, message: `average precision of class '${name}' is undefined (no true sample of the class); reported as null` });
    } else {
      const ap = averagePrecision(positive, scores);
      apPer[name] = ap;
      const pr = precisionRecallCurve(positive, scores);
      report.curves.pr.push({
        class: name,
        averagePrecision: ap,
        points: downsampleIndices(pr.recall, pr.precision, maxPoints).map((j) => ({ recall: pr.recall[j]!, precision: pr.precision[j]! })),
      });
    }
    report.curves.calibration.push({ class: name, bins: calibrationCurve(positive, scores, nBins) });
  }
  const positiveClass = k === 2 ? classNames[1]! : null;
  report.rocAuc = { perClass: aucPer, macro: meanDefined(Object.values(aucPer)), positiveClass };
  report.averagePrecision = { perClass: apPer, macro: meanDefined(Object.values(apPer)), positiveClass };
  return report;
}

function meanDefined(values: (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length === 0 ? null : ok.reduce((a, b) => a + b, 0) / ok.length;
}
