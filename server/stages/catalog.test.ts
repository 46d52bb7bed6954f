import { describe, expect, it } from "vitest";
import { z } from "zod";
import { catalog, getStage, listStages } from "./index";
import { STAGE_CATEGORIES } from "./types";

describe("stage catalog", () => {
  it("registers the stages with the fixed ids and port names", () => {
    const ports = Object.fromEntries(
      listStages().map((s) => [s.id, { in: Object.keys(s.inputs), out: Object.keys(s.outputs) }]),
    );
    expect(ports).toEqual({
      "load-csv": { in: [], out: ["table"] },
      validate: { in: ["table"], out: ["table", "report"] },
      clean: { in: ["table"], out: ["table"] },
      split: { in: ["table"], out: ["train", "test"] },
      "encode-scale": { in: ["train", "test"], out: ["train", "test", "transform"] },
      train: { in: ["train"], out: ["model"] },
      evaluate: { in: ["model", "table"], out: ["metrics"] },
      predict: { in: ["model", "table", "transform"], out: ["table"] },
      "cross-validate": { in: ["table"], out: ["metrics"] },
      tune: { in: ["train"], out: ["model", "report"] },
      "vectorize-text": { in: ["table", "transform"], out: ["table", "transform"] },
      "export-onnx": { in: ["model", "transform"], out: ["onnx"] },
      "import-onnx": { in: [], out: ["model"] },
      "load-images": { in: [], out: ["table"] },
    });
  });

  it("every stage's params have defaults that validate (except required columns) and labels", () => {
    for (const stage of listStages()) {
      expect(stage.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(STAGE_CATEGORIES).toContain(stage.category);
      for (const [key, field] of Object.entries(stage.params.shape as Record<string, z.ZodType>)) {
        expect(field.description, `${stage.id}.${key} needs a .describe() label`).toBeTruthy();
      }
    }
    const info = catalog();
    const train = info.find((s) => s.id === "train")!;
    expect(train.defaults).not.toHaveProperty("target");
    expect(train.defaults).toMatchObject({ model: "logistic-regression", C: 1, hiddenLayers: [32] });
    const props = (train.paramsSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(props.target.widget).toBe("column");
    const clean = info.find((s) => s.id === "clean")!;
    expect((clean.paramsSchema as { properties: Record<string, Record<string, unknown>> }).properties.columns.widget).toBe("columns");
  });

  it("marks optional inputs", () => {
    expect(getStage("encode-scale")!.inputs.test.optional).toBe(true);
    expect(getStage("predict")!.inputs.transform.optional).toBe(true);
  });
});
