/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Algorithms 7.4, 3.5, 3.6).
 * Written for smooth convex objectives such as penalised logistic regression; every buffer is
 * allocated once per call so the iteration loop creates no garbage on large parameter vectors.
 */

/** Writes the gradient at x into `grad` and returns the objective value at x. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Maximum number of iterations (accepted steps). Default 100. */
  maxIter?: number;
  /** Stop when max_i |grad_i| <= tol (scipy's `gtol`, which scikit-learn sets to its `tol`). Default 1e-5. */
  tol?: number;
  /**
   * Stop when (f_old - f_new) / max(|f_old|, |f_new|, 1) <= ftol. Default 64 * machine epsilon, i.e. only
   * once progress is at rounding level (what scikit-learn >= 1.3 passes). scipy's own default (2.2e-9)
   * stops long before a tight `tol` is met: sklearn 1.2.1 on Iris ends with max|grad| ~ 1e-3 at tol=1e-8.
   */
  ftol?: number;
  /** Number of correction pairs kept. Default 10 (scipy's maxcor). */
  memory?: number;
  /** Maximum objective evaluations within one line search. Default 40. */
  maxLineSearch?: number;
}

/**
 * gradient: max|grad| <= tol. relative-reduction: f stopped changing beyond rounding (ftol, or a line
 * search that only saw rounding noise). Both count as converged; the other two do not.
 */
export type LbfgsStopReason = "gradient" | "relative-reduction" | "max-iterations" | "line-search-failed";

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: LbfgsStopReason;
  /** max_i |grad_i| at x; lets callers report how close to stationary the answer is. */
  gradientNorm: number;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature; 0.9 is the usual quasi-Newton choice (accept the unit step often)

export function minimize(fg: ObjectiveWithGradient, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-5;
  const ftol = options.ftol ?? 64 * Number.EPSILON;
  const m = Math.max(1, options.memory ?? 10);
  const maxLs = options.maxLineSearch ?? 40;
  const n = x0.length;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alphas = new Float64Array(m);
  let histLen = 0;
  let head = 0; // slot the next pair is written to

  let evaluations = 1;
  let f = fg(x, g);
  if (!Number.isFinite(f)) {
    throw new Error(`L-BFGS: objective is ${f} at the starting point; check the inputs for NaN/Infinity`);
  }
  let gnorm = maxAbs(g);
  if (gnorm <= tol) {
    return { x, f, iterations: 0, evaluations, converged: true, reason: "gradient", gradientNorm: gnorm };
  }

  // Line-search state lives in closure variables so no objects are created per evaluation.
  let fTrial = 0;
  let dgTrial = 0;
  const evaluate = (a: number): void => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + a * d[i]!;
    fTrial = fg(xNew, gNew);
    evaluations++;
    dgTrial = dot(gNew, d, n);
  };

  /** Returns the accepted step (its point is left in xNew/gNew/fTrial) or 0 when no acceptable step was found. */
  const lineSearch = (f0: number, dg0: number, aInit: number): number => {
    let aPrev = 0, fPrev = f0, dgPrev = dg0;
    let a = aInit;
    for (let i = 0; i < maxLs; i++) {
      evaluate(a);
      if (!(fTrial <= f0 + C1 * a * dg0) || (i > 0 && fTrial >= fPrev)) {
        return zoom(f0, dg0, aPrev, fPrev, dgPrev, a, fTrial, dgTrial, maxLs - i - 1);
      }
      if (Math.abs(dgTrial) <= -C2 * dg0) return a;
      if (dgTrial >= 0) return zoom(f0, dg0, a, fTrial, dgTrial, aPrev, fPrev, dgPrev, maxLs - i - 1);
      aPrev = a; fPrev = fTrial; dgPrev = dgTrial;
      a *= 2;
    }
    return 0;
  };

  const zoom = (
    f0: number, dg0: number,
    aLo: number, fLo: number, dgLo: number,
    aHi: number, fHi: number, dgHi: number,
    budget: number,
  ): number => {
    for (let j = 0; j < budget; j++) {
      const a = safeguardedCubic(aLo, fLo, dgLo, aHi, fHi, dgHi);
      evaluate(a);
      if (!(fTrial <= f0 + C1 * a * dg0) || fTrial >= fLo) {
        aHi = a; fHi = fTrial; dgHi = dgTrial;
      } else {
        if (Math.abs(dgTrial) <= -C2 * dg0) return a;
        if (dgTrial * (aHi - aLo) >= 0) {
          aHi = aLo; fHi = fLo; dgHi = dgLo;
        }
        aLo = a; fLo = fTrial; dgLo = dgTrial;
      }
      if (Math.abs(aHi - aLo) <= 1e-16 * Math.max(1, Math.abs(aLo))) break;
    }
    // Out of budget: the best point seen still satisfies sufficient decrease, so take it rather than stall.
    if (aLo > 0 && fLo < f0) {
      evaluate(aLo);
      return aLo;
    }
    return 0;
  };

  let iterations = 0;
  let reason: LbfgsStopReason = "max-iterations";
  let converged = false;
  while (iterations < maxIter) {
    // Two-loop recursion: d = -H g using the stored (s, y) pairs, newest first then oldest first.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < histLen; k++) {
      const slot = (head - 1 - k + m) % m;
      const off = slot * n;
      let sd = 0;
      for (let i = 0; i < n; i++) sd += S[off + i]! * d[i]!;
      const al = rho[slot]! * sd;
      alphas[slot] = al;
      for (let i = 0; i < n; i++) d[i]! -= al * Y[off + i]!;
    }
    if (histLen > 0) {
      // Scale by s'y / y'y of the newest pair: the standard initial Hessian guess, makes step 1 well sized.
      const slot = (head - 1 + m) % m;
      const off = slot * n;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += Y[off + i]! * Y[off + i]!;
      const gamma = 1 / (rho[slot]! * yy);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
    for (let k = histLen - 1; k >= 0; k--) {
      const slot = (head - 1 - k + m) % m;
      const off = slot * n;
      let yd = 0;
      for (let i = 0; i < n; i++) yd += Y[off + i]! * d[i]!;
      const beta = rho[slot]! * yd;
      const coef = alphas[slot]! - beta;
      for (let i = 0; i < n; i++) d[i]! += coef * S[off + i]!;
    }

    let dg = dot(d, g, n);
    if (!(dg < 0)) {
      // Curvature information went bad (should not happen for convex problems): restart from steepest descent.
      histLen = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg = -dot(g, g, n);
    }
    // Without curvature history the direction is the raw gradient; cap the first step's length at 1.
    const aInit = histLen === 0 ? Math.min(1, 1 / Math.sqrt(-dg)) : 1;
    const step = lineSearch(f, dg, aInit);
    if (step === 0) {
      // When the last (shortest) trial moved f by only rounding noise, f cannot be reduced further in
      // floating point: that is the ftol situation, not a failure of the method.
      const flat = Math.abs(fTrial - f) <= 1e3 * Number.EPSILON * Math.max(Math.abs(f), 1);
      reason = flat ? "relative-reduction" : "line-search-failed";
      converged = flat;
      break;
    }
    iterations++;

    // Store s = xNew - x, y = gNew - g; skip the pair if s'y is not safely positive (keeps H positive definite).
    const off = head * n;
    let sy = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      const si = xNew[i]! - x[i]!;
      const yi = gNew[i]! - g[i]!;
      S[off + i] = si;
      Y[off + i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (sy > Number.EPSILON * yy) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      histLen = Math.min(histLen + 1, m);
    }

    const fOld = f;
    f = fTrial;
    let tmp = x; x = xNew; xNew = tmp;
    tmp = g; g = gNew; gNew = tmp;

    gnorm = maxAbs(g);
    if (gnorm <= tol) {
      reason = "gradient";
      converged = true;
      break;
    }
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      reason = "relative-reduction";
      converged = true;
      break;
    }
  }
  return { x, f, iterations, evaluations, converged, reason, gradientNorm: gnorm };
}

/** Minimiser of the cubic through two points with slopes, kept inside the middle 80% of the bracket. */
function safeguardedCubic(a1: number, f1: number, g1: number, a2: number, f2: number, g2: number): number {
  const lo = Math.min(a1, a2);
  const hi = Math.max(a1, a2);
  const width = hi - lo;
  let a = Number.NaN;
  if (Number.isFinite(f1) && Number.isFinite(f2) && Number.isFinite(g1) && Number.isFinite(g2)) {
    const d1 = g1 + g2 - (3 * (f1 - f2)) / (a1 - a2);
    const disc = d1 * d1 - g1 * g2;
    if (disc >= 0) {
      const d2 = Math.sign(a2 - a1) * Math.sqrt(disc);
      a = a2 - ((a2 - a1) * (g2 + d2 - d1)) / (g2 - g1 + 2 * d2);
    }
  }
  if (!Number.isFinite(a) || a < lo + 0.1 * width || a > hi - 0.1 * width) a = lo + 0.5 * width;
  return a;
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || v !== v) m = v; // propagate NaN so a broken gradient never looks converged
  }
  return m;
}
