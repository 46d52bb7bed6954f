import { z } from "zod";
import { fmt } from "../common";
import { defineStage } from "../types";
import { applyEncodeScale, fitEncodeScale, type ApplyResult, type EncodeScaleTransform } from "./encode-scale-core";

const params = z.object({
  target: z.string().optional().meta({ widget: "column" }).describe("Target column (left unchanged)"),
  oneHot: z.boolean().default(true).describe("One-hot encode text columns"),
  scaling: z.enum(["standardize", "minmax", "none"]).default("standardize").describe("Scale number columns"),
  exclude: z.array(z.string()).optional().meta({ widget: "columns" }).describe("Columns to leave unchanged"),
});

export const encodeScale = defineStage({
  id: "encode-scale",
  version: 1,
  title: "Encode / Scale",
  category: "Transform",
  description: "Turns text columns into 0/1 columns and scales number columns, learning both from the training rows only.",
  params,
  inputs: {
    train: { type: "table", label: "Train" },
    test: { type: "table", label: "Test", optional: true, description: "Transformed with what was learned from Train." },
  },
  outputs: {
    train: { type: "table", label: "Train" },
    test: { type: "table", label: "Test", description: "Only produced when the Test input is connected." },
    transform: { type: "transform", label: "Fitted transform", description: "Replay it in Predict on new rows." },
  },
  run(ctx) {
    const p = ctx.params;
    const trainTable = ctx.readTable("train");
    const transform = fitEncodeScale(trainTable, { target: p.target, oneHot: p.oneHot, scaling: p.scaling, exclude: p.exclude });
    logFit(transform, ctx);
    ctx.progress(0.4);

    const outputs: Record<string, ReturnType<typeof ctx.writeTable>> = {};
    const train = applyEncodeScale(transform, trainTable);
    outputs.train = ctx.writeTable(train.table);
    if (ctx.inputs.test) {
      const test = applyEncodeScale(transform, ctx.readTable("test"));
      warnUnseen(test, ctx);
      outputs.test = ctx.writeTable(test.table);
    }
    outputs.transform = ctx.writeJson("transform", transform, summarizeTransform(transform));
    ctx.progress(1);
    return outputs;
  },
});

/** More categories than this in one column is worth a warning: probably an ID or free text. */
const MANY_CATEGORIES = 50;

export function summarizeTransform(t: EncodeScaleTransform): Record<string, unknown> {
  return {
    kind: t.kind,
    target: t.target,
    oneHot: t.steps.filter((s) => s.op === "one-hot").length,
    scaled: t.steps.filter((s) => s.op === "scale").length,
    inputColumns: t.inputColumns.length,
    outputColumns: t.outputColumns.length,
  };
}

function logFit(t: EncodeScaleTransform, ctx: { log(m: string): void; warn(m: string): void }) {
  for (const step of t.steps) {
    if (step.op === "one-hot") {
      if (step.categories.length > MANY_CATEGORIES) {
        ctx.warn(
          `${step.column} has ${step.categories.length} distinct values, so one-hot encoding adds ${step.categories.length} columns. If it is an identifier, add it to "Columns to leave unchanged".`,
        );
        continue;
      }
      ctx.log(`${step.column}: one-hot over ${step.categories.length} categories (${step.categories.map((c) => `'${c}'`).join(", ")}).`);
    } else if (step.op === "scale") {
      if (step.constant) {
        ctx.warn(`${step.column} is constant in the training rows (${fmt(step.center)}); it scales to 0 and carries no information. Consider excluding it.`);
      } else {
        const what = step.method === "standardize" ? `mean ${fmt(step.center)}, std ${fmt(step.scale)}` : `min ${fmt(step.center)}, range ${fmt(step.scale)}`;
        ctx.log(`${step.column}: ${step.method} (${what}).`);
      }
    } else if (step.reason === "not-encoded") {
      ctx.log(`${step.column}: left unchanged.`);
    }
  }
  ctx.log(`${t.inputColumns.length} columns in, ${t.outputColumns.length} out.`);
}

export function warnUnseen(result: ApplyResult, ctx: { warn(m: string): void }) {
  for (const u of result.unseen) {
    ctx.warn(
      `${u.column}: ${u.rows} row${u.rows === 1 ? "" : "s"} hold categories not seen in training (${u.examples.map((e) => `'${e}'`).join(", ")}); they are encoded as all zeros.`,
    );
  }
}
