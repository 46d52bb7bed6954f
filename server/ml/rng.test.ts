import { describe, it, expect } from "vitest";
import { Rng } from "./rng";

describe("Rng", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    const sb = Array.from({ length: 5 }, () => b.next());
    const sc = Array.from({ length: 5 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(new Rng("run-7").nextUint32()).toBe(new Rng("run-7").nextUint32());
    expect(new Rng("run-7").nextUint32()).not.toBe(new Rng("run-8").nextUint32());
  });

  it("next() is in [0,1) with mean ~1/2 and variance ~1/12", () => {
    const r = new Rng(1);
    const n = 50_000;
    let s = 0, ss = 0, outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      if (!(v >= 0 && v < 1)) outOfRange++;
      s += v; ss += v * v;
    }
    expect(outOfRange).toBe(0);
    const mean = s / n;
    // standard error of the mean is sqrt(1/12/n) = 0.0013; 0.01 is > 7 standard errors
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - mean * mean - 1 / 12)).toBeLessThan(0.005);
  });

  it("int(n) covers 0..n-1 evenly (chi-square)", () => {
    const r = new Rng(7);
    const k = 7, n = 70_000;
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(k)]!++;
    const expected = n / k;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001
    expect(chi2).toBeLessThan(22.46);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it("shuffle returns a permutation and every position gets every value", () => {
    const r = new Rng(3);
    const seenAt0 = new Set<number>();
    for (let t = 0; t < 200; t++) {
      const p = r.permutation(5);
      expect(Array.from(p).sort()).toEqual([0, 1, 2, 3, 4]);
      seenAt0.add(p[0]!);
    }
    expect(seenAt0.size).toBe(5);
    const arr = ["a", "b", "c"];
    expect(r.shuffle(arr)).toBe(arr);
  });

  it("normal() has mean ~0 and variance ~1", () => {
    const r = new Rng(11);
    const n = 40_000;
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v; ss += v * v;
    }
    // SE of mean = 1/sqrt(n) = 0.005; SE of variance ~ sqrt(2/n) = 0.007
    expect(Math.abs(s / n)).toBeLessThan(0.025);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.035);
  });
});
