import { describe, expect, it } from "vitest";
import { fieldsFromSchema, humanise } from "./params-schema";
import { validateField, visibleFields } from "./params-validate";

// The shape zod's toJSONSchema({ io: "input" }) produces for a typical stage.
const SCHEMA = {
  type: "object",
  properties: {
    source: { default: "path", description: "Read the file from", type: "string", enum: ["path", "upload"] },
    path: { default: "a.csv", description: "File path", type: "string" },
    uploadId: { description: "Uploaded file", type: "string", pattern: "^[0-9a-f]{64}$" },
    k: { default: 3, description: "Neighbours", type: "integer", minimum: 1, maximum: 50 },
    seed: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
    rate: { type: "number", exclusiveMinimum: 0 },
    maybe: { default: null, type: ["number", "null"] },
    target: { type: "string", widget: "column", description: "Target column" },
    features: { default: [], widget: "columns", type: "array", items: { type: "string" } },
    sizes: { minItems: 1, type: "array", items: { type: "number" } },
    rules: {
      default: [],
      type: "array",
      items: {
        type: "object",
        properties: { column: { type: "string" }, op: { type: "string", enum: ["gt", "lt"] } },
        required: ["column", "op"],
      },
    },
    columnTypes: {
      type: "object",
      propertyNames: { type: "string" },
      additionalProperties: { type: "string", enum: ["number", "string"] },
    },
    mode: { default: "a", anyOf: [{ type: "string", const: "a" }, { type: "string", const: "b" }] },
    strategy: { anyOf: [{ $ref: "#/$defs/strat" }, { type: "null" }] },
  },
  required: ["seed", "rate", "target", "sizes"],
  $defs: { strat: { type: "string", enum: ["mean", "median"] } },
};

const fields = fieldsFromSchema(SCHEMA);
const field = (name: string) => fields.find((f) => f.name === name)!;

describe("fieldsFromSchema", () => {
  it("maps each JSON Schema shape to a widget kind", () => {
    expect(Object.fromEntries(fields.map((f) => [f.name, f.kind]))).toEqual({
      source: "enum",
      path: "string",
      uploadId: "upload",
      k: "integer",
      seed: "integer",
      rate: "number",
      maybe: "number",
      target: "column",
      features: "columns",
      sizes: "number-list",
      rules: "object-list",
      columnTypes: "record",
      mode: "enum",
      strategy: "enum",
    });
  });

  it("takes labels from description and falls back to the humanised name", () => {
    expect(field("k").label).toBe("Neighbours");
    expect(field("columnTypes").label).toBe("Column types");
    expect(humanise("learning_rate")).toBe("Learning rate");
  });

  it("keeps real bounds and drops zod's safe-integer bounds", () => {
    expect(field("k")).toMatchObject({ minimum: 1, maximum: 50, default: 3 });
    expect(field("seed").minimum).toBeUndefined();
    expect(field("rate").exclusiveMinimum).toBe(0);
  });

  it("unwraps nullable and const unions, resolving $refs", () => {
    expect(field("maybe").nullable).toBe(true);
    expect(field("mode").options).toEqual(["a", "b"]);
    expect(field("strategy")).toMatchObject({ options: ["mean", "median"], nullable: true });
  });

  it("describes list items and record values", () => {
    expect(field("rules").itemFields!.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["column", "string", true],
      ["op", "enum", true],
    ]);
    expect(field("columnTypes").valueField).toMatchObject({ kind: "enum", options: ["number", "string"] });
  });
});

describe("validateField", () => {
  it("checks numbers against bounds and integer-ness", () => {
    expect(validateField(field("k"), 0)).toBe("Must be at least 1.");
    expect(validateField(field("k"), 51)).toBe("Must be at most 50.");
    expect(validateField(field("k"), 2.5)).toBe("Enter a whole number.");
    expect(validateField(field("k"), 7)).toBeNull();
    expect(validateField(field("rate"), 0)).toBe("Must be greater than 0.");
    expect(validateField(field("rate"), Number.NaN)).toBe("Enter a number.");
  });

  it("requires required fields without a default, but not optional or defaulted ones", () => {
    expect(validateField(field("target"), undefined)).toBe("A value is required.");
    expect(validateField(field("target"), "")).toBe("A value is required.");
    expect(validateField(field("k"), undefined)).toBeNull();
    expect(validateField(field("uploadId"), undefined)).toBeNull();
  });

  it("checks patterns, enums, lists and records", () => {
    expect(validateField(field("uploadId"), "xyz")).toBe("This value has the wrong format.");
    expect(validateField(field("source"), "ftp")).toBe("Choose one of: path, upload.");
    expect(validateField(field("sizes"), [])).toBe("Needs at least 1 item.");
    expect(validateField(field("sizes"), [1, Number.NaN])).toBe("Every item must be a number.");
    expect(validateField(field("rules"), [{ column: "a" }])).toBe("Item 1, Op: A value is required.");
    expect(validateField(field("columnTypes"), { zip: "date" })).toBe("zip: Choose one of: number, string.");
    expect(validateField(field("maybe"), null)).toBeNull();
    expect(validateField(field("k"), null)).toBe("A value is required.");
  });
});

describe("visibleFields", () => {
  it("shows the fields that belong to the chosen source only", () => {
    const names = (params: Record<string, unknown>) => visibleFields(fields, params).map((f) => f.name);
    expect(names({})).toContain("path");
    expect(names({})).not.toContain("uploadId");
    expect(names({ source: "upload" })).toContain("uploadId");
    expect(names({ source: "upload" })).not.toContain("path");
  });
});

describe("showWhen and option labels", () => {
  const schema = {
    type: "object",
    properties: {
      model: {
        type: "string",
        enum: ["logistic-regression", "random-forest"],
        default: "logistic-regression",
        options: [
          { value: "logistic-regression", label: "Logistic regression" },
          { value: "random-forest", label: "Random forest" },
        ],
      },
      C: { type: "number", default: 1, showWhen: { model: ["logistic-regression"] } },
      nEstimators: { type: "integer", default: 100, showWhen: { model: ["random-forest"] } },
      seed: { type: "integer", default: 42 },
    },
  };

  it("reads labels and conditions from the schema", () => {
    const [model, C] = fieldsFromSchema(schema);
    expect(model.optionLabels).toEqual({ "logistic-regression": "Logistic regression", "random-forest": "Random forest" });
    expect(C.showWhen).toEqual({ model: ["logistic-regression"] });
  });

  it("shows a model's params only while that model is chosen, using the default when unset", () => {
    const fields = fieldsFromSchema(schema);
    expect(visibleFields(fields, {}).map((f) => f.name)).toEqual(["model", "C", "seed"]);
    expect(visibleFields(fields, { model: "random-forest" }).map((f) => f.name)).toEqual(["model", "nEstimators", "seed"]);
  });
});

describe("upload fields", () => {
  it("offer the file types each stage reads", async () => {
    const { catalog } = await import("@/server/stages");
    const accept = (stageId: string) => {
      const stage = catalog().find((s) => s.id === stageId)!;
      return fieldsFromSchema(stage.paramsSchema).find((f) => f.name === "uploadId")!.accept;
    };
    expect(accept("load-csv")).toBe(".csv,.tsv,.txt,text/csv");
    expect(accept("load-images")).toBe(".zip,application/zip");
    expect(accept("import-onnx")).toBe(".onnx");
  });
});
