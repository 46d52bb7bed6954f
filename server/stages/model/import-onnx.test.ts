import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fitLogisticRegression } from "../../ml/logistic-regression";
import { exportToOnnx } from "../../ml/onnx/export";
import { predictOnnxModel, type OnnxModelState } from "../../ml/onnx/runtime";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { exportOnnx } from "./export-onnx";
import { importOnnx } from "./import-onnx";
import { predictWithModel, type StudioModel } from "./predict-core";

const X = tableOf({ x1: [0.1, 0.4, 0.35, 0.8, 0.9, 0.2, 0.7, 0.05], x2: [1, 0, 1, 0, 0, 1, 0, 1], label: [0, 1, 0, 1, 1, 0, 1, 0] });

function model(): StudioModel {
  const data = new Float64Array(16);
  for (let i = 0; i < 8; i++) {
    data[2 * i] = (X.columns[0]!.values as Float64Array)[i]!;
    data[2 * i + 1] = (X.columns[1]!.values as Float64Array)[i]!;
  }
  const state = fitLogisticRegression({ data, rows: 8, cols: 2 }, Int32Array.from(X.columns[2]!.values as Float64Array), 2);
  return {
    format: "studio-model",
    version: 1,
    algorithm: "logistic-regression",
    task: "classification",
    target: "label",
    targetKind: "number",
    features: ["x1", "x2"],
    classes: ["0", "1"],
    state,
    trainedOn: { rows: 8 },
    backend: "cpu",
  };
}

function writeTemp(name: string, bytes: Uint8Array): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "studio-onnx-"));
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { dir, file };
}

describe("import-onnx stage", () => {
  it("imports an exported file from a path: signature, classes, target; predictions equal the original model's", async () => {
    const original = model();
    const { dir, file } = writeTemp("model.onnx", exportToOnnx(original).bytes);
    const h = stageHarness([dir]);
    const out = await h.run(importOnnx, { source: "path", path: file });
    const imported = h.readJson<StudioModel>(out.model);
    expect(imported).toMatchObject({ algorithm: "onnx", task: "classification", target: "label", targetKind: "number", features: ["x1", "x2"], classes: ["0", "1"] });
    expect(out.model.summary).toMatchObject({ algorithm: "onnx", task: "classification", inputs: 1, outputs: ["label", "probabilities"], classes: 2 });
    const state = imported.state as OnnxModelState;
    expect(state.inputs).toEqual([{ name: "input", type: "float64", shape: ["N", 2] }]);
    const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
    expect(logs).toContain("Inputs: input (float64 [N, 2]).");

    const got = await predictOnnxModel(state, X, { what: "table" });
    const expected = await predictWithModel(original, X);
    expect(got.labels).toEqual(expected.labels);
    got.probabilities!.forEach((p, i) => expect(p).toBeCloseTo(expected.probabilities![i]!, 6));
  });

  it("reads an upload; the exported bytes round-trip through export-onnx unchanged", async () => {
    const h = stageHarness();
    const bytes = exportToOnnx(model()).bytes;
    const { hash } = h.store.put(bytes);
    const out = await h.run(importOnnx, { source: "upload", uploadId: hash, target: "y" });
    const imported = h.readJson<StudioModel>(out.model);
    expect(imported.target).toBe("y");
    const again = await h.run(exportOnnx, {}, { model: out.model });
    expect(Buffer.compare(h.store.read(again.onnx.hash), Buffer.from(bytes))).toBe(0);
  });

  it("declares the path as an external file only when reading from a path", () => {
    expect(importOnnx.externalFiles!(importOnnx.params.parse({ source: "path", path: "m.onnx" }))).toEqual(["m.onnx"]);
    expect(importOnnx.externalFiles!(importOnnx.params.parse({ source: "upload" }))).toEqual([]);
  });

  describe("errors", () => {
    it("a file that is not ONNX names the file and the parser's message", async () => {
      const { dir, file } = writeTemp("data.csv", Buffer.from("x1,x2\n1,2\n"));
      const h = stageHarness([dir]);
      const error = await h.run(importOnnx, { source: "path", path: file }).catch((e) => e);
      expect(error).toBeInstanceOf(StageError);
      expect(error.message).toMatch(/^data\.csv is not an ONNX model: .+/);
      expect(error.field).toBe("path");
    });

    it("an uploaded file that is not ONNX points at the upload field", async () => {
      const h = stageHarness();
      const { hash } = h.store.put(Buffer.from("not a model at all"));
      const error = await h.run(importOnnx, { source: "upload", uploadId: hash }).catch((e) => e);
      expect(error.message).toMatch(/^upload [0-9a-f]{8} is not an ONNX model: /);
      expect(error.field).toBe("uploadId");
    });

    it("nothing chosen", async () => {
      const h = stageHarness();
      await expect(h.run(importOnnx, { source: "upload" })).rejects.toThrow(/No file uploaded yet/);
      await expect(h.run(importOnnx, { source: "path" })).rejects.toThrow(/No file path given/);
    });

    it("a table that does not fit the imported model names the column and the input", async () => {
      const { dir, file } = writeTemp("model.onnx", exportToOnnx(model()).bytes);
      const h = stageHarness([dir]);
      const out = await h.run(importOnnx, { source: "path", path: file });
      const state = h.readJson<StudioModel>(out.model).state as OnnxModelState;
      await expect(predictOnnxModel(state, tableOf({ x1: [1] }))).rejects.toThrow(
        /The table has no column 'x2' for the model's input 'input' \(float64 \[N, 2\]\); its columns are 'x1'/,
      );
    });
  });
});
