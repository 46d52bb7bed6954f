import { describe, it, expect } from "vitest";
import { minimize } from "./lbfgs";

describe("L-BFGS minimize", () => {
  it("solves a convex quadratic exactly", () => {
    // f(x) = 1/2 x'Ax - b'x with A = [[4,1],[1,3]], b = [1,2]; minimiser A^-1 b = [1/11, 7/11]
    // (det A = 11, A^-1 = [[3,-1],[-1,4]]/11 -> [3-2, -1+8]/11)
    const res = minimize((x, g) => {
      g[0] = 4 * x[0]! + x[1]! - 1;
      g[1] = x[0]! + 3 * x[1]! - 2;
      return 0.5 * (4 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2) - x[0]! - 2 * x[1]!;
    }, new Float64Array([5, -5]), { tol: 1e-8 });
    expect(res.converged).toBe(true);
    expect(res.reason).toBe("gradient");
    expect(res.x[0]).toBeCloseTo(1 / 11, 9);
    expect(res.x[1]).toBeCloseTo(7 / 11, 9);
    // f* = -1/2 b'A^-1 b = -1/2 (1*1 + 2*7)/11 = -15/22
    expect(res.f).toBeCloseTo(-15 / 22, 12);
  });

  it("finds the Rosenbrock minimum (1,1) from (-1.2, 1)", () => {
    const res = minimize((x, g) => {
      const a = x[0]!, b = x[1]!;
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
      return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    }, new Float64Array([-1.2, 1]), { maxIter: 200, tol: 1e-8 });
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
    expect(res.iterations).toBeLessThan(60);
  });

  it("handles a 50-dimensional extended Rosenbrock", () => {
    const n = 50;
    const x0 = new Float64Array(n).fill(-1);
    const res = minimize((x, g) => {
      g.fill(0);
      let f = 0;
      for (let i = 0; i < n - 1; i++) {
        const t = x[i + 1]! - x[i]! * x[i]!;
        f += 100 * t * t + (1 - x[i]!) ** 2;
        g[i]! += -400 * x[i]! * t - 2 * (1 - x[i]!);
        g[i + 1]! += 200 * t;
      }
      return f;
    }, x0, { maxIter: 1000, tol: 1e-7 });
    expect(res.converged).toBe(true);
    for (let i = 0; i < n; i++) expect(res.x[i]).toBeCloseTo(1, 5);
  });

  it("returns immediately at a stationary start and honours maxIter", () => {
    const quad = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * x[0]!;
      return x[0]! * x[0]!;
    };
    const r0 = minimize(quad, new Float64Array([0]));
    expect(r0.iterations).toBe(0);
    expect(r0.converged).toBe(true);
    const rosen = (x: Float64Array, g: Float64Array) => {
      const a = x[0]!, b = x[1]!;
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
      return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    };
    const r2 = minimize(rosen, new Float64Array([-1.2, 1]), { maxIter: 2, tol: 1e-12 });
    expect(r2.iterations).toBe(2);
    expect(r2.converged).toBe(false);
    expect(r2.reason).toBe("max-iterations");
    // each accepted step satisfies sufficient decrease, so f must have dropped from f(-1.2,1) = 24.2
    expect(r2.f).toBeLessThan(24.2);
  });

  it("reports a tol below float resolution as converged by relative reduction, not as a failure", () => {
    // the quadratic above plus 1e6: f ~ 1e6 resolves changes of ~1e-10 only, so max|g| <= 1e-14 is unreachable
    const res = minimize((x, g) => {
      g[0] = 4 * x[0]! + x[1]! - 1;
      g[1] = x[0]! + 3 * x[1]! - 2;
      return 1e6 + 0.5 * (4 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2) - x[0]! - 2 * x[1]!;
    }, new Float64Array([5, -5]), { tol: 1e-14 });
    expect(res.converged).toBe(true);
    expect(res.reason).toBe("relative-reduction");
    expect(res.gradientNorm).toBeGreaterThan(1e-14);
    expect(res.x[0]).toBeCloseTo(1 / 11, 4);
    expect(res.x[1]).toBeCloseTo(7 / 11, 4);
  });

  it("flags a wrong gradient as a line-search failure", () => {
    // the reported gradient has the wrong sign, so every "descent" step increases f = x^2
    const res = minimize((x, g) => { g[0] = -2 * x[0]!; return x[0]! * x[0]!; }, new Float64Array([1]));
    expect(res.converged).toBe(false);
    expect(res.reason).toBe("line-search-failed");
    expect(res.x[0]).toBe(1);
  });

  it("does not mutate x0 and refuses a non-finite start", () => {
    const x0 = new Float64Array([3]);
    minimize((x, g) => { g[0] = 2 * (x[0]! - 1); return (x[0]! - 1) ** 2; }, x0);
    expect(x0[0]).toBe(3);
    expect(() => minimize((_x, g) => { g[0] = 0; return Number.NaN; }, x0)).toThrow(/objective is NaN/);
  });
});
