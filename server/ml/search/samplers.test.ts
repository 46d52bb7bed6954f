import { describe, expect, it } from "vitest";
import { requireModel } from "../models/registry";
import { Rng } from "../rng";
import { gridSuggestions, randomSuggestions, Tpe, type TpeObservation } from "./samplers";
import { gridValues, sampleEntry, validateSpace, type SpaceEntry } from "./space";

describe("search space", () => {
  it("grid values: choices, linear and log-spaced floats, distinct integers", () => {
    expect(gridValues({ param: "weights", type: "choice", values: ["uniform", "distance"] })).toEqual(["uniform", "distance"]);
    expect(gridValues({ param: "alpha", type: "float", low: 0, high: 1, steps: 5 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const log = gridValues({ param: "C", type: "log-float", low: 0.01, high: 100, steps: 5 });
    [0.01, 0.1, 1, 10, 100].forEach((v, i) => expect(log[i]).toBeCloseTo(v, 12));
    expect(gridValues({ param: "nNeighbors", type: "int", low: 1, high: 3 })).toEqual([1, 2, 3]);
    expect(gridValues({ param: "nNeighbors", type: "int", low: 1, high: 9, steps: 3 })).toEqual([1, 5, 9]);
  });

  it("samples stay in range; ints include both ends", () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const v = sampleEntry({ param: "k", type: "int", low: 1, high: 3 }, rng) as number;
      seen.add(v);
      const f = sampleEntry({ param: "C", type: "log-float", low: 1e-3, high: 1e3 }, rng) as number;
      expect(f).toBeGreaterThanOrEqual(1e-3);
      expect(f).toBeLessThanOrEqual(1e3);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it("validation names the entry: unknown param, bad range, value the model rejects", () => {
    const knn = requireModel("knn");
    expect(() => validateSpace([{ param: "C", type: "float", low: 0, high: 1 }], knn)).toThrow(
      "search space entry 'C': 'C' is not a param of k-nearest neighbours; its params are 'nNeighbors', 'weights'",
    );
    expect(() => validateSpace([{ param: "nNeighbors", type: "int", low: 5, high: 2 }], knn)).toThrow("low (5) must be below high (2)");
    expect(() => validateSpace([{ param: "nNeighbors", type: "int", low: 0, high: 5 }], knn)).toThrow(/'nNeighbors': 0 is not a valid value of 'nNeighbors'/);
    expect(() => validateSpace([{ param: "weights", type: "choice", values: ["uniform", "cosine"] }], knn)).toThrow(/"cosine" is not a valid value/);
    expect(() => validateSpace([{ param: "C", type: "log-float", low: 0, high: 1 }], requireModel("logistic-regression"))).toThrow("needs low > 0");
    expect(() => validateSpace([], knn)).toThrow("the search space is empty");
  });
});

describe("grid and random suggestions", () => {
  const space: SpaceEntry[] = [
    { param: "nNeighbors", type: "int", low: 1, high: 3 },
    { param: "weights", type: "choice", values: ["uniform", "distance"] },
  ];

  it("grid: the full product, first param slowest", () => {
    const { trials, truncatedFrom } = gridSuggestions(space, 100);
    expect(truncatedFrom).toBeNull();
    expect(trials).toEqual([
      { nNeighbors: 1, weights: "uniform" }, { nNeighbors: 1, weights: "distance" },
      { nNeighbors: 2, weights: "uniform" }, { nNeighbors: 2, weights: "distance" },
      { nNeighbors: 3, weights: "uniform" }, { nNeighbors: 3, weights: "distance" },
    ]);
  });

  it("grid larger than the budget: evenly spread points, and says so", () => {
    const { trials, truncatedFrom } = gridSuggestions(space, 3);
    expect(truncatedFrom).toBe(6);
    expect(trials).toEqual([{ nNeighbors: 1, weights: "uniform" }, { nNeighbors: 2, weights: "uniform" }, { nNeighbors: 3, weights: "uniform" }]);
  });

  it("random: reproducible from the seed", () => {
    expect(randomSuggestions(space, 5, 9)).toEqual(randomSuggestions(space, 5, 9));
    expect(randomSuggestions(space, 5, 9)).not.toEqual(randomSuggestions(space, 5, 10));
  });
});

describe("TPE", () => {
  /** Runs a sequential TPE search (batches of `batch`) on an objective; returns suggestions in order. */
  function search(space: SpaceEntry[], objective: (p: Record<string, unknown>) => number, trials: number, seed: number, batch = 1) {
    const tpe = new Tpe(space, { seed, nStartup: 10 });
    const history: TpeObservation[] = [];
    const all: Record<string, unknown>[] = [];
    while (all.length < trials) {
      const next = tpe.suggest(history, Math.min(batch, trials - all.length), all.length);
      for (const params of next) {
        all.push(params);
        history.push({ params: params as never, score: objective(params) });
      }
    }
    return all;
  }

  const logC: SpaceEntry[] = [{ param: "C", type: "log-float", low: 1e-3, high: 1e3 }];
  const distance = (p: Record<string, unknown>) => Math.abs(Math.log10(p.C as number) - 1); // optimum at C = 10

  it("concentrates on the optimum of a log-scale objective after the random start-up", () => {
    for (const seed of [1, 2, 3]) {
      const all = search(logC, (p) => -distance(p), 40, seed);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const startup = median(all.slice(0, 10).map(distance));
      const late = median(all.slice(25).map(distance));
      expect(late).toBeLessThan(startup / 3);
      expect(Math.min(...all.map(distance))).toBeLessThan(0.15);
    }
  });

  it("prefers the better category and rounds integer params", () => {
    const space: SpaceEntry[] = [
      { param: "weights", type: "choice", values: ["uniform", "distance", "other"] },
      { param: "k", type: "int", low: 1, high: 30 },
    ];
    const all = search(space, (p) => (p.weights === "distance" ? 1 : 0) - Math.abs((p.k as number) - 7) / 30, 40, 5);
    for (const p of all) expect(Number.isInteger(p.k)).toBe(true);
    const late = all.slice(20);
    expect(late.filter((p) => p.weights === "distance").length).toBeGreaterThanOrEqual(14);
  });

  it("is reproducible from the seed (and batch size)", () => {
    expect(search(logC, (p) => -distance(p), 20, 7, 2)).toEqual(search(logC, (p) => -distance(p), 20, 7, 2));
  });
});
