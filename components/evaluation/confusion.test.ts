import { describe, expect, it } from "vitest";
import { cellIntensity, heatColor, normalizeConfusion } from "./confusion";

// Hand-computed: y_true = [a a a b b c], y_pred = [a a b b c c]  ->  C = [[2,1,0],[0,1,1],[0,0,1]]
const C = [
  [2, 1, 0],
  [0, 1, 1],
  [0, 0, 1],
];

describe("normalizeConfusion", () => {
  it("by true class: each row sums to 1", () => {
    const m = normalizeConfusion(C, "true");
    expect(m[0]).toEqual([2 / 3, 1 / 3, 0]);
    expect(m[1]).toEqual([0, 0.5, 0.5]);
    for (const row of m) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("by predicted class: each column sums to 1", () => {
    const m = normalizeConfusion(C, "pred");
    expect(m.map((r) => r[1])).toEqual([0.5, 0.5, 0]);
    expect(m.map((r) => r[2])).toEqual([0, 0.5, 0.5]);
  });

  it("by total, and an empty row stays 0 instead of NaN", () => {
    expect(normalizeConfusion(C, "all")[0][0]).toBeCloseTo(2 / 6, 12);
    expect(normalizeConfusion([[0, 0], [1, 1]], "true")[0]).toEqual([0, 0]);
    expect(normalizeConfusion(C, "counts")).toEqual(C);
  });
});

describe("heat scale", () => {
  it("runs from near-white to deep blue and clamps outside [0, 1]", () => {
    expect(heatColor(0)).toBe("rgb(247, 249, 252)");
    expect(heatColor(1)).toBe("rgb(25, 64, 160)");
    expect(heatColor(2)).toBe(heatColor(1));
    expect(heatColor(Number.NaN)).toBe(heatColor(0));
  });

  it("scales counts by the largest cell and row fractions as they are", () => {
    expect(cellIntensity(1, "counts", 2)).toBe(0.5);
    expect(cellIntensity(0.25, "true", 2)).toBe(0.25);
  });
});
