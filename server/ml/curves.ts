import { MlInputError } from "./errors";

/**
 * Threshold curves for one binary problem (a class vs the rest). Inputs: `positive[i]` is 1 when row i
 * belongs to the class, `scores[i]` its probability for that class. Curves have one point per distinct
 * score (scikit-learn's drop_intermediate=False), so tied scores form one diagonal segment and the
 * trapezoidal ROC AUC equals the Mann-Whitney statistic with ties counted 1/2.
 */

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] = +Infinity for the (0, 0) start point (sklearn >= 1.3; 1.2 used max score + 1). */
  thresholds: Float64Array;
}

export interface PrCurve {
  /** In scikit-learn's order: recall decreasing, ending with the (recall 0, precision 1) point. */
  precision: Float64Array;
  recall: Float64Array;
  /** thresholds[i] belongs to point i; the final (0, 1) point has none, as in sklearn. */
  thresholds: Float64Array;
}

interface CumulativeCounts {
  tps: Float64Array;
  fps: Float64Array;
  thresholds: Float64Array;
  positives: number;
  negatives: number;
}

/** Cumulative true/false positives at each distinct score, highest score first. */
function cumulativeCounts(positive: Uint8Array, scores: Float64Array): CumulativeCounts {
  const n = positive.length;
  if (scores.length !== n) {
    throw new MlInputError(`got ${n} labels but ${scores.length} scores; they must be the same rows`);
  }
  if (n === 0) throw new MlInputError("no rows to evaluate; the evaluation set is empty");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!)) {
      throw new MlInputError(`score at row ${i} is ${scores[i]}; scores must be finite probabilities`);
    }
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]!);
  const tpsBuf = new Float64Array(n), fpsBuf = new Float64Array(n), thrBuf = new Float64Array(n);
  let tp = 0, fp = 0, m = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (positive[i]) tp++;
    else fp++;
    const next = r + 1 < n ? scores[order[r + 1]!]! : Number.NaN;
    if (next !== scores[i]) {
      tpsBuf[m] = tp;
      fpsBuf[m] = fp;
      thrBuf[m] = scores[i]!;
      m++;
    }
  }
  return { tps: tpsBuf.slice(0, m), fps: fpsBuf.slice(0, m), thresholds: thrBuf.slice(0, m), positives: tp, negatives: fp };
}

export function countPositives(positive: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < positive.length; i++) p += positive[i] ? 1 : 0;
  return p;
}

/** ROC curve; throws MlInputError unless both positives and negatives are present (AUC undefined otherwise). */
export function rocCurve(positive: Uint8Array, scores: Float64Array): RocCurve {
  const c = cumulativeCounts(positive, scores);
  if (c.positives === 0 || c.negatives === 0) {
    throw new MlInputError(
      `ROC needs both positive and negative rows (got ${c.positives} positive, ${c.negatives} negative); ` +
        "evaluate on a set that contains every class",
    );
  }
  const m = c.tps.length + 1;
  const fpr = new Float64Array(m), tpr = new Float64Array(m), thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  for (let i = 1; i < m; i++) {
    fpr[i] = c.fps[i - 1]! / c.negatives;
    tpr[i] = c.tps[i - 1]! / c.positives;
    thresholds[i] = c.thresholds[i - 1]!;
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve by the trapezoidal rule on the full curve; equals P(score+ > score-) + 1/2 P(tie).
 * Summed on integer counts and divided once, so it is exact for ties and free of per-point rounding.
 */
export function rocAuc(positive: Uint8Array, scores: Float64Array): number {
  const c = cumulativeCounts(positive, scores);
  if (c.positives === 0 || c.negatives === 0) {
    throw new MlInputError(
      `ROC AUC is undefined with only one class present (${c.positives} positive, ${c.negatives} negative rows)`,
    );
  }
  let area2 = 0; // twice the area, in count units
  let prevTp = 0, prevFp = 0;
  for (let i = 0; i < c.tps.length; i++) {
    area2 += (c.fps[i]! - prevFp) * (c.tps[i]! + prevTp);
    prevTp = c.tps[i]!;
    prevFp = c.fps[i]!;
  }
  return area2 / (2 * c.positives * c.negatives);
}

/** Precision-recall curve as scikit-learn 1.2's precision_recall_curve; needs at least one positive. */
export function precisionRecallCurve(positive: Uint8Array, scores: Float64Array): PrCurve {
  const c = cumulativeCounts(positive, scores);
  if (c.positives === 0) {
    throw new MlInputError("precision-recall curve is undefined without positive rows; evaluate on a set that contains the class");
  }
  const m = c.tps.length;
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), thresholds = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const src = m - 1 - i; // reverse so recall decreases
    precision[i] = c.tps[src]! / (c.tps[src]! + c.fps[src]!);
    recall[i] = c.tps[src]! / c.positives;
    thresholds[i] = c.thresholds[src]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * Average precision AP = sum_n (R_n - R_{n-1}) P_n over distinct thresholds, highest first
 * (scikit-learn's definition). A step sum, not the trapezoidal area under the PR curve, which
 * interpolates linearly and overstates precision; the two must not be mixed up.
 */
export function averagePrecision(positive: Uint8Array, scores: Float64Array): number {
  const c = cumulativeCounts(positive, scores);
  if (c.positives === 0) {
    throw new MlInputError("average precision is undefined without positive rows; evaluate on a set that contains the class");
  }
  let ap = 0, prevTp = 0;
  for (let i = 0; i < c.tps.length; i++) {
    const tp = c.tps[i]!;
    ap += ((tp - prevTp) / c.positives) * (tp / (tp + c.fps[i]!));
    prevTp = tp;
  }
  return ap;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  meanPredicted: number;
  fractionPositive: number;
  count: number;
}

/**
 * Reliability diagram with `nBins` uniform bins on [0, 1]; only non-empty bins are returned (as
 * sklearn's calibration_curve). Bin edges follow sklearn 1.2.1 (np.searchsorted side='left'): a score
 * exactly on an inner edge belongs to the bin below it, i.e. bins are [0, e1], (e1, e2], ..., (e_{n-1}, 1].
 */
export function calibrationCurve(positive: Uint8Array, prob: Float64Array, nBins = 10): CalibrationBin[] {
  if (!Number.isInteger(nBins) || nBins < 1) throw new MlInputError(`nBins must be a positive integer (got ${nBins})`);
  if (prob.length !== positive.length) {
    throw new MlInputError(`got ${positive.length} labels but ${prob.length} probabilities; they must be the same rows`);
  }
  // np.linspace(0, 1, n+1) computes edge j as j * (1/n); reuse that to agree on values that land on an edge.
  const step = 1 / nBins;
  const inner = new Float64Array(nBins - 1);
  for (let j = 1; j < nBins; j++) inner[j - 1] = j * step;
  const sums = new Float64Array(nBins), trues = new Float64Array(nBins), counts = new Float64Array(nBins);
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i]!;
    if (!(p >= 0 && p <= 1)) throw new MlInputError(`probability at row ${i} is ${p}; calibration needs values in [0, 1]`);
    let lo = 0, hi = inner.length; // first inner edge >= p
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    sums[lo]! += p;
    trues[lo]! += positive[i] ? 1 : 0;
    counts[lo]!++;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (counts[b] === 0) continue;
    out.push({
      lower: b * step,
      upper: b === nBins - 1 ? 1 : (b + 1) * step,
      meanPredicted: sums[b]! / counts[b]!,
      fractionPositive: trues[b]! / counts[b]!,
      count: counts[b]!,
    });
  }
  return out;
}

/**
 * Picks at most `maxPoints` indices spread evenly along the curve's length, always keeping the first
 * and last point, so a chart of a 100k-row evaluation stays light while its shape survives. Spacing
 * by arc length rather than by index keeps the steep parts of a ROC curve, where few thresholds fall.
 */
export function downsampleIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints = 200): number[] {
  const n = xs.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  if (maxPoints < 2) return [0, n - 1].slice(0, Math.max(maxPoints, 0));
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) cum[i] = cum[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
  const total = cum[n - 1]!;
  const out: number[] = [0];
  let i = 0;
  for (let k = 1; k < maxPoints - 1; k++) {
    const target = (total * k) / (maxPoints - 1);
    while (i < n - 1 && cum[i]! < target) i++;
    if (i > out[out.length - 1]! && i < n - 1) out.push(i);
  }
  out.push(n - 1);
  return out;
}
