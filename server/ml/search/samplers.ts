/**
 * Trial suggestions for grid, random and Bayesian (TPE) search. Grid and random suggestions are
 * fixed before any trial runs, so results never depend on thread count or timing; TPE suggests in
 * batches (one per free thread) from the trials finished so far.
 */
import { Rng } from "../rng";
import { gridValues, sampleEntry, type ParamValue, type SpaceEntry, type TrialParams } from "./space";

/**
 * Every grid point, the first entry varying slowest. When the grid is larger than the budget,
 * `budget` points spread evenly over it (indices floor(i * size / budget)) and `truncatedFrom`
 * says how many there were.
 */
export function gridSuggestions(space: readonly SpaceEntry[], budget: number): { trials: TrialParams[]; truncatedFrom: number | null } {
  const axes = space.map(gridValues);
  const size = axes.reduce((a, v) => a * v.length, 1);
  const pick = (index: number): TrialParams => {
    const out: TrialParams = {};
    for (let a = axes.length - 1; a >= 0; a--) {
      const values = axes[a]!;
      out[space[a]!.param] = values[index % values.length]!;
      index = Math.floor(index / values.length);
    }
    return Object.fromEntries(space.map((e) => [e.param, out[e.param]!]));
  };
  if (size <= budget) return { trials: Array.from({ length: size }, (_, i) => pick(i)), truncatedFrom: null };
  return { trials: Array.from({ length: budget }, (_, i) => pick(Math.floor((i * size) / budget))), truncatedFrom: size };
}

export function randomSuggestions(space: readonly SpaceEntry[], count: number, seed: number): TrialParams[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Object.fromEntries(space.map((e) => [e.param, sampleEntry(e, rng)])));
}

export interface TpeOptions {
  seed: number;
  /** Random trials before the model takes over. Default min(10, max(2, budget / 3)) chosen by the caller, else 10. */
  nStartup?: number;
  /** Share of finished trials counted as "good" (l(x)); capped at 25 trials. Default 0.25. */
  gamma?: number;
  /** Candidates drawn from l(x) per param and suggestion. Default 24 (Hyperopt's). */
  nCandidates?: number;
}

export interface TpeObservation {
  params: TrialParams;
  /** Higher is better; failed trials are left out of the history. */
  score: number;
}

/**
 * A small univariate Tree-structured Parzen Estimator (Bergstra et al. 2011, as in Hyperopt and
 * Optuna): finished trials are split into the best gamma share and the rest; per param, a Parzen
 * density l(x) is fitted to the good values and g(x) to the others (each with a wide prior
 * component), candidates are drawn from l and the one maximising l(x)/g(x) is suggested. Numeric
 * params work on a truncated Gaussian mixture (in log space for log-float, rounded for int),
 * choices on smoothed category frequencies.
 */
export class Tpe {
  private readonly rng: Rng;
  private readonly nStartup: number;
  private readonly gamma: number;
  private readonly nCandidates: number;

  constructor(
    private readonly space: readonly SpaceEntry[],
    options: TpeOptions,
  ) {
    this.rng = new Rng(options.seed);
    this.nStartup = options.nStartup ?? 10;
    this.gamma = options.gamma ?? 0.25;
    this.nCandidates = options.nCandidates ?? 24;
  }

  /** `count` suggestions given the finished trials (and how many were already suggested in total). */
  suggest(history: readonly TpeObservation[], count: number, suggestedSoFar: number): TrialParams[] {
    const out: TrialParams[] = [];
    for (let s = 0; s < count; s++) {
      if (suggestedSoFar + s < this.nStartup || history.length < 2) {
        out.push(Object.fromEntries(this.space.map((e) => [e.param, sampleEntry(e, this.rng)])));
        continue;
      }
      const sorted = [...history].sort((a, b) => b.score - a.score);
      const nGood = Math.max(1, Math.min(25, Math.ceil(this.gamma * sorted.length)));
      const good = sorted.slice(0, nGood);
      const bad = sorted.slice(nGood);
      out.push(Object.fromEntries(this.space.map((e) => [e.param, this.suggestEntry(e, good, bad)])));
    }
    return out;
  }

  private suggestEntry(e: SpaceEntry, good: readonly TpeObservation[], bad: readonly TpeObservation[]): ParamValue {
    if (e.type === "choice") return this.suggestChoice(e, good, bad);
    const toX = (v: ParamValue) => (e.type === "log-float" ? Math.log(v as number) : (v as number));
    const lo = e.type === "log-float" ? Math.log(e.low!) : e.type === "int" ? e.low! - 0.5 : e.low!;
    const hi = e.type === "log-float" ? Math.log(e.high!) : e.type === "int" ? e.high! + 0.5 : e.high!;
    const l = parzen(good.map((o) => toX(o.params[e.param]!)), lo, hi);
    const g = parzen(bad.map((o) => toX(o.params[e.param]!)), lo, hi);
    let best = NaN;
    let bestScore = -Infinity;
    for (let c = 0; c < this.nCandidates; c++) {
      const x = sampleMixture(l, lo, hi, this.rng);
      const score = logDensity(l, x, lo, hi) - logDensity(g, x, lo, hi);
      if (score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    if (e.type === "log-float") return Math.min(e.high!, Math.max(e.low!, Math.exp(best)));
    if (e.type === "int") return Math.min(e.high!, Math.max(e.low!, Math.round(best)));
    return best;
  }

  private suggestChoice(e: SpaceEntry, good: readonly TpeObservation[], bad: readonly TpeObservation[]): ParamValue {
    const values = e.values!;
    const k = values.length;
    const key = (v: ParamValue) => JSON.stringify(v);
    const index = new Map(values.map((v, i) => [key(v), i]));
    const weights = (obs: readonly TpeObservation[]) => {
      const w = new Array<number>(k).fill(1); // one pseudo-count each: the prior
      for (const o of obs) {
        const i = index.get(key(o.params[e.param]!));
        if (i !== undefined) w[i]! += 1;
      }
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / total);
    };
    const pl = weights(good);
    const pg = weights(bad);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < this.nCandidates; c++) {
      let u = this.rng.next();
      let i = 0;
      while (i < k - 1 && u >= pl[i]!) u -= pl[i++]!;
      const score = Math.log(pl[i]!) - Math.log(pg[i]!);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return values[best]!;
  }
}

interface Mixture {
  mu: number[];
  sigma: number[];
}

/**
 * Parzen estimator over observations in [lo, hi]: one Gaussian per observation plus a prior
 * component (centre of the range, sigma = the range), equal weights. Each bandwidth is the larger
 * gap to its sorted neighbours, clipped to [range / min(100, 1 + n), range] (Hyperopt's rule).
 */
function parzen(observations: number[], lo: number, hi: number): Mixture {
  const range = hi - lo;
  const points = [...observations.map((x) => ({ x, prior: false })), { x: (lo + hi) / 2, prior: true }].sort((a, b) => a.x - b.x);
  const minSigma = range / Math.min(100, 1 + points.length);
  const mu: number[] = [];
  const sigma: number[] = [];
  points.forEach((p, i) => {
    mu.push(p.x);
    if (p.prior) {
      sigma.push(range);
      return;
    }
    const left = i > 0 ? p.x - points[i - 1]!.x : p.x - lo;
    const right = i < points.length - 1 ? points[i + 1]!.x - p.x : hi - p.x;
    sigma.push(Math.min(range, Math.max(minSigma, left, right)));
  });
  return { mu, sigma };
}

function sampleMixture(m: Mixture, lo: number, hi: number, rng: Rng): number {
  const i = rng.int(m.mu.length);
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = m.mu[i]! + m.sigma[i]! * rng.normal();
    if (x >= lo && x <= hi) return x;
  }
  return Math.min(hi, Math.max(lo, m.mu[i]!));
}

/** log of the truncated mixture density at x. */
function logDensity(m: Mixture, x: number, lo: number, hi: number): number {
  let sum = 0;
  for (let i = 0; i < m.mu.length; i++) {
    const mu = m.mu[i]!;
    const s = m.sigma[i]!;
    const z = (x - mu) / s;
    const mass = normalCdf((hi - mu) / s) - normalCdf((lo - mu) / s);
    sum += Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return Math.log(sum / m.mu.length + 1e-300);
}

function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): ample for comparing densities. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}
