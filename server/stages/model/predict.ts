import { z } from "zod";
import { makeTable, type TableColumn } from "../../artifacts/table";
import { defineStage, StageError } from "../types";
import { applyEncodeScale, type EncodeScaleTransform } from "../transform/encode-scale-core";
import { warnUnseen } from "../transform/encode-scale";
import { isStudioModel, predictWithModel, type StudioModel } from "./predict-core";

const params = z.object({});

export const predict = defineStage({
  id: "predict",
  version: 1,
  title: "Predict",
  category: "Predict",
  description: "Adds the model's prediction (and, for classifiers, each class's probability) as new columns to a table.",
  params,
  inputs: {
    model: { type: "model", label: "Model" },
    table: { type: "table", label: "Rows to predict" },
    transform: {
      type: "transform",
      label: "Fitted transform",
      optional: true,
      description: "Connect the Encode/Scale transform the model was trained after, to prepare raw rows the same way.",
    },
  },
  outputs: { table: { type: "table", label: "Predictions" } },
  async run(ctx) {
    const model = ctx.readJson<StudioModel>("model");
    if (!isStudioModel(model)) {
      throw new StageError("The model input is not a studio model. Connect the Model output of a Train node.", { field: "model" });
    }
    const input = ctx.readTable("table");
    let features = input;
    if (ctx.inputs.transform) {
      const transform = ctx.readJson<EncodeScaleTransform>("transform");
      if (transform?.kind !== "encode-scale") {
        throw new StageError("The transform input is not an Encode/Scale transform. Connect the Fitted transform output of an Encode/Scale node.", {
          field: "transform",
        });
      }
      const applied = applyEncodeScale(transform, input);
      warnUnseen(applied, ctx);
      features = applied.table;
    }
    const prediction = await predictWithModel(model, features, { what: "table", signal: ctx.signal });
    ctx.progress(0.8);

    const added: TableColumn[] = [];
    if (model.task === "classification") {
      const labels = prediction.labels!;
      added.push(
        model.targetKind === "number"
          ? { name: "prediction", kind: "number", values: Float64Array.from(labels, Number) }
          : { name: "prediction", kind: "string", values: labels },
      );
      const classes = model.classes!;
      const k = classes.length;
      const proba = prediction.probabilities!;
      classes.forEach((c, j) => {
        const values = new Float64Array(input.rowCount);
        for (let i = 0; i < input.rowCount; i++) values[i] = proba[i * k + j];
        added.push({ name: `proba_${c}`, kind: "number", values });
      });
    } else {
      added.push({ name: "prediction", kind: "number", values: prediction.values! });
    }

    const addedNames = new Set(added.map((c) => c.name));
    const replaced = input.columns.filter((c) => addedNames.has(c.name)).map((c) => c.name);
    if (replaced.length) ctx.warn(`The table already had ${replaced.map((n) => `'${n}'`).join(", ")}; replaced with this model's output.`);
    const table = makeTable([...input.columns.filter((c) => !addedNames.has(c.name)), ...added]);
    ctx.log(`Predicted ${input.rowCount} rows with the ${model.algorithm} model for '${model.target}'.`);
    ctx.progress(1);
    return { table: ctx.writeTable(table) };
  },
});
