import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fromRows } from "../matrix";
import { fitDecisionTreeClassifier } from "./decision-tree";
import { predictTreeEnsemble } from "./predict";
import { fitRandomForestClassifier, fitRandomForestRegressor } from "./random-forest";
import { makeSyntheticData } from "./synthetic";
import type { TreeEnsembleState } from "./types";

const hash = (st: TreeEnsembleState): string => createHash("sha256").update(JSON.stringify(st)).digest("hex");
const data3 = makeSyntheticData(600, 12, 5, 3);

describe("fitRandomForestClassifier", () => {
  it("averages the trees' class shares (predict_proba semantics)", async () => {
    const { X, y } = data3;
    const st = await fitRandomForestClassifier(X, y, 3, { nEstimators: 7, seed: 1 });
    expect(st).toMatchObject({ algorithm: "random-forest", task: "classification", nClasses: 3, nOutputs: 3, aggregate: "average", postTransform: "none", baseScore: [0, 0, 0] });
    expect(st.trees).toHaveLength(7);
    const p = predictTreeEnsemble(st, X);
    for (let i = 0; i < X.rows; i++) expect(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]!).toBeCloseTo(1, 12);
    // By hand for row 0: the mean of each tree's leaf vector.
    const t0 = st.trees.map((t) => {
      let node = 0;
      while (t.feature[node]! >= 0) node = X.data[t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      return t.value.slice(node * 3, node * 3 + 3);
    });
    for (let k = 0; k < 3; k++) expect(p[k]).toBeCloseTo(t0.reduce((s, v) => s + v[k]!, 0) / 7, 12);
  });

  it("is deterministic, and the same forest for every thread count (parallel == sequential)", async () => {
    const { X, y } = data3;
    const seq = await fitRandomForestClassifier(X, y, 3, { nEstimators: 12, seed: 9, threads: 1 });
    expect(hash(await fitRandomForestClassifier(X, y, 3, { nEstimators: 12, seed: 9, threads: 1 }))).toBe(hash(seq));
    const two = await fitRandomForestClassifier(X, y, 3, { nEstimators: 12, seed: 9, threads: 2 });
    const three = await fitRandomForestClassifier(X, y, 3, { nEstimators: 12, seed: 9, threads: 3 });
    expect(hash(two)).toBe(hash(seq));
    expect(hash(three)).toBe(hash(seq));
    const other = await fitRandomForestClassifier(X, y, 3, { nEstimators: 12, seed: 10, threads: 1 });
    expect(hash(other)).not.toBe(hash(seq));
  });

  it("grows the same forest from worker threads in a plain `node --import tsx` process", async () => {
    const { X, y } = makeSyntheticData(300, 10, 8);
    const expected = hash(await fitRandomForestClassifier(X, y, 2, { nEstimators: 6, seed: 4, threads: 1 }));
    const here = (f: string) => new URL(f, import.meta.url).href;
    const script = `
      import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
      import { fitRandomForestClassifier } from "${here("./random-forest.ts")}";
      import { makeSyntheticData } from "${here("./synthetic.ts")}";
      const { X, y } = makeSyntheticData(300, 10, 8);
      const st = await fitRandomForestClassifier(X, y, 2, { nEstimators: 6, seed: 4, threads: 2 });
      console.log(createHash("sha256").update(JSON.stringify(st)).digest("hex"));
    `;
    const dir = mkdtempSync(join(tmpdir(), "forest-"));
    const file = join(dir, "fit.mts");
    writeFileSync(file, script);
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
        cwd: new URL("../../../", import.meta.url).pathname,
        env: { ...process.env, NODE_OPTIONS: "" },
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(stdout.trim()).toBe(expected);
  });

  it("reports progress after each tree and stops when aborted", async () => {
    const { X, y } = data3;
    const seen: number[] = [];
    await fitRandomForestClassifier(X, y, 3, { nEstimators: 5, threads: 1, onProgress: (f) => seen.push(f) });
    expect(seen).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    for (const threads of [1, 2]) {
      const ac = new AbortController();
      const progress: number[] = [];
      const run = fitRandomForestClassifier(X, y, 3, {
        nEstimators: 200,
        threads,
        signal: ac.signal,
        onProgress: (f) => {
          progress.push(f);
          if (progress.length === 2) ac.abort();
        },
      });
      await expect(run).rejects.toThrow(/abort/i);
      expect(progress.length).toBeLessThan(200);
    }
    const ac = new AbortController();
    ac.abort(new Error("run cancelled by the user"));
    await expect(fitRandomForestClassifier(X, y, 3, { signal: ac.signal })).rejects.toThrow("run cancelled by the user");
  });

  it("without bootstrap and with all features, every tree is the decision tree (up to tie-breaking)", async () => {
    const X = fromRows([[1, 0], [2, 1], [3, 0], [4, 1], [5, 0], [6, 1]]);
    const y = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const st = await fitRandomForestClassifier(X, y, 2, { nEstimators: 3, bootstrap: false, maxFeatures: null });
    const dt = fitDecisionTreeClassifier(X, y, 2);
    for (const t of st.trees) expect(t).toEqual(dt.trees[0]);
  });

  it("rejects bad parameters", async () => {
    const { X, y } = data3;
    await expect(fitRandomForestClassifier(X, y, 3, { nEstimators: 0 })).rejects.toThrow(/nEstimators must be a whole number >= 1/);
    await expect(fitRandomForestClassifier(X, y, 3, { threads: 0 })).rejects.toThrow(/threads/);
    await expect(fitRandomForestClassifier(X, y, 3, { maxDepth: -1 })).rejects.toThrow(/maxDepth/);
    await expect(fitRandomForestClassifier(X, new Int32Array(600), 3)).rejects.toThrow(/single class/);
  });
});

describe("fitRandomForestRegressor", () => {
  it("averages tree means, uses all features per node by default, and is thread-independent", async () => {
    const { X, score } = makeSyntheticData(500, 10, 6);
    const a = await fitRandomForestRegressor(X, score, { nEstimators: 8, seed: 2, threads: 1 });
    const b = await fitRandomForestRegressor(X, score, { nEstimators: 8, seed: 2, threads: 2 });
    expect(hash(a)).toBe(hash(b));
    expect(a).toMatchObject({ task: "regression", nClasses: null, nOutputs: 1, baseScore: [0] });
    // In-sample R^2 of a forest of fully grown trees is high.
    const p = predictTreeEnsemble(a, X);
    let mean = 0;
    for (const v of score) mean += v / score.length;
    let ss = 0;
    let st = 0;
    for (let i = 0; i < score.length; i++) {
      ss += (score[i]! - p[i]!) ** 2;
      st += (score[i]! - mean) ** 2;
    }
    expect(1 - ss / st).toBeGreaterThan(0.85);
  });
});
