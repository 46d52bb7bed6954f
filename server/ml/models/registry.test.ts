import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MlInputError } from "../errors";
import { pixelColumnNames } from "../images/pixel-columns";
import { fromRows, type Matrix } from "../matrix";
import { constantColumns, fitModel } from "./fit";
import { MODELS, getModel, modelChoiceField, modelParamsOf, modelParamsShape, paramKeys, requireModel } from "./registry";
import type { ModelSpec, ModelTask } from "./types";

/** Three well-separated blobs in 2-D (and a smooth regression target on the same rows). */
function blobs(): { X: Matrix; yc: Int32Array; yr: Float64Array } {
  const rows: number[][] = [];
  const yc: number[] = [];
  const yr: number[] = [];
  const centres = [[1, 8], [8, 1], [4.5, 4.5]]; // non-negative, with different proportions (multinomial NB)
  for (let i = 0; i < 45; i++) {
    const c = i % 3;
    const dx = ((i * 7) % 11) / 11 - 0.5;
    const dy = ((i * 5) % 13) / 13 - 0.5;
    rows.push([centres[c][0] + dx, centres[c][1] + dy]);
    yc.push(c);
    yr.push(2 * rows[i][0] - rows[i][1] + 1);
  }
  return { X: fromRows(rows), yc: Int32Array.from(yc), yr: Float64Array.from(yr) };
}

const FAST: Record<string, Record<string, unknown>> = {
  mlp: { epochs: 40, hiddenLayers: [8], learningRate: 0.05, batchSize: 16 },
  "random-forest": { nEstimators: 10 },
  "gradient-boosting": { nEstimators: 20, boostingMinSamplesLeaf: 3 },
  cnn: { convFilters: [8], denseUnits: 16, epochs: 60, learningRate: 0.05, batchSize: 16 },
};

/** The CNN takes images: the two blob features, and two zeros, as a 2x2 one-channel image. */
function asImage(X: Matrix): Matrix {
  return fromRows(Array.from({ length: X.rows }, (_, i) => [X.data[i * 2]!, X.data[i * 2 + 1]!, 0, 0]));
}

async function fitAndPredict(spec: ModelSpec<any, any>, task: ModelTask, seed = 1) {
  const blob = blobs();
  const { yc, yr } = blob;
  const X = spec.id === "cnn" ? asImage(blob.X) : blob.X;
  const ctx = {
    task,
    nClasses: task === "classification" ? 3 : 0,
    params: modelParamsOf(spec, FAST[spec.id] ?? {}),
    seed,
    featureNames: spec.id === "cnn" ? pixelColumnNames(2, 2, 1) : ["a", "b"],
  };
  const state = await fitModel(spec, X, task === "classification" ? yc : yr, ctx);
  return { state, out: spec.predict(JSON.parse(JSON.stringify(state)), X), yc, yr };
}

describe("model registry", () => {
  it("has the library's models with unique ids, tasks and sklearn-like defaults", () => {
    const ids = MODELS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ["logistic-regression", "linear-regression", "ridge", "knn", "gaussian-nb", "multinomial-nb", "mlp", "decision-tree", "random-forest", "gradient-boosting"]) {
      expect(ids).toContain(id);
    }
    expect(getModel("knn")!.tasks).toEqual(["classification", "regression"]);
    expect(getModel("ridge")!.tasks).toEqual(["regression"]);
    expect(modelParamsOf(requireModel("knn"), {})).toEqual({ nNeighbors: 5, weights: "uniform" });
    expect(modelParamsOf(requireModel("ridge"), {})).toEqual({ alpha: 1, fitIntercept: true });
    expect(modelParamsOf(requireModel("gaussian-nb"), {})).toEqual({ varSmoothing: 1e-9 });
    expect(modelParamsOf(requireModel("multinomial-nb"), {})).toEqual({ smoothingAlpha: 1 });
    expect(modelParamsOf(requireModel("random-forest"), {})).toMatchObject({ nEstimators: 100, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: "auto", bootstrap: true });
    expect(() => requireModel("svm")).toThrow(/unknown model 'svm'; the library has 'logistic-regression'/);
  });

  it("flattens every model's params into one shape tagged with showWhen, sharing same-named params", () => {
    const shape = modelParamsShape();
    const meta = (key: string) => (shape[key] as z.ZodType).meta() as { showWhen: { model: string[] }; description: string };
    expect(meta("C").showWhen).toEqual({ model: ["logistic-regression"] });
    expect(meta("maxDepth").showWhen.model).toEqual(expect.arrayContaining(["decision-tree", "random-forest"]));
    expect(meta("fitIntercept").showWhen.model).toEqual(expect.arrayContaining(["logistic-regression", "linear-regression", "ridge"]));
    expect(meta("nNeighbors").description).toBe("kNN: number of neighbours k");
    // Every model param appears, with the owner listed.
    for (const spec of MODELS) for (const key of paramKeys(spec)) expect(meta(key).showWhen.model).toContain(spec.id);
    // The JSON Schema the catalog sends carries showWhen and the label.
    const json = z.toJSONSchema(z.object(shape), { io: "input" }) as { properties: Record<string, { showWhen?: unknown; description?: string }> };
    expect(json.properties.alpha.showWhen).toEqual({ model: ["ridge"] });
    expect(json.properties.alpha.description).toBe("Ridge: regularisation strength alpha");
    const choice = z.toJSONSchema(modelChoiceField()) as unknown as { enum: string[]; options: { value: string; label: string }[] };
    expect(choice.enum).toEqual(MODELS.map((m) => m.id));
    expect(choice.options.find((o) => o.value === "knn")!.label).toBe("k-nearest neighbours");
  });

  it("an invalid model param is an MlInputError naming it", () => {
    const e = (() => {
      try {
        modelParamsOf(requireModel("knn"), { nNeighbors: 0 });
      } catch (error) {
        return error as MlInputError;
      }
    })()!;
    expect(e).toBeInstanceOf(MlInputError);
    expect(e.details).toEqual({ param: "nNeighbors" });
    expect(e.message).toContain("param 'nNeighbors' of k-nearest neighbours is invalid (0)");
  });

  for (const spec of MODELS) {
    for (const task of spec.tasks) {
      it(`${spec.id} (${task}): fits, predicts from JSON state, and a seed reproduces it`, async () => {
        const { state, out, yc, yr } = await fitAndPredict(spec, task);
        if (task === "classification") {
          expect(out.length).toBe(45 * 3);
          let hit = 0;
          for (let i = 0; i < 45; i++) {
            const row = Array.from(out.subarray(i * 3, i * 3 + 3));
            expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
            if (row.indexOf(Math.max(...row)) === yc[i]) hit++;
          }
          expect(hit / 45).toBeGreaterThanOrEqual(0.9); // separable blobs
        } else {
          expect(out.length).toBe(45);
          let ss = 0, tot = 0;
          const mean = yr.reduce((a, b) => a + b, 0) / 45;
          for (let i = 0; i < 45; i++) {
            ss += (out[i] - yr[i]) ** 2;
            tot += (yr[i] - mean) ** 2;
          }
          expect(1 - ss / tot).toBeGreaterThan(0.8);
        }
        if (spec.id !== "mlp") expect((await fitAndPredict(spec, task)).state).toEqual(state);
      });
    }
  }

  describe("fitModel's checks", () => {
    const spec = requireModel("logistic-regression");
    const base = { task: "classification" as const, params: modelParamsOf(spec, {}), seed: 0, classNames: ["a", "b", "c"] };

    it("more classes than rows", async () => {
      const e = await fitModel(spec, fromRows([[0], [1]]), Int32Array.from([0, 1]), { ...base, nClasses: 3 }).catch((x) => x);
      expect(e.message).toContain("there are 3 classes but only 2 training rows");
    });

    it("a single class names it", async () => {
      const e = await fitModel(spec, fromRows([[0], [1], [2]]), Int32Array.from([2, 2, 2]), { ...base, nClasses: 3 }).catch((x) => x);
      expect(e.message).toContain("a single class ('c')");
    });

    it("a model that does not do the task", async () => {
      const e = await fitModel(requireModel("ridge"), fromRows([[0], [1]]), Int32Array.from([0, 1]), { ...base, nClasses: 2, params: {} }).catch((x) => x);
      expect(e.message).toBe("Ridge regression does not do classification; it does regression");
    });

    it("constant columns: warned for linear models, not for trees", async () => {
      const X = fromRows([[0, 7], [1, 7], [2, 7], [3, 7]]);
      const y = Int32Array.from([0, 0, 1, 1]);
      expect(constantColumns(X)).toEqual([1]);
      const warnings: string[] = [];
      await fitModel(spec, X, y, { ...base, nClasses: 2, featureNames: ["x", "flat"], warn: (m) => warnings.push(m) });
      expect(warnings).toEqual([expect.stringContaining("Column 'flat' is constant in the training rows")]);
      const tree = requireModel("decision-tree");
      const treeWarnings: string[] = [];
      await fitModel(tree, X, y, { ...base, nClasses: 2, params: modelParamsOf(tree, {}), warn: (m) => treeWarnings.push(m) });
      expect(treeWarnings).toEqual([]);
    });
  });
});
