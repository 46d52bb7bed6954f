import { z } from "zod";
import { summariseFolds, kFoldAssignment, stratifiedKFoldAssignment, type CvData, type FoldMetrics } from "../../ml/models/cross-validation";
import { modelParamsOf, requireModel } from "../../ml/models/registry";
import { fmt } from "../common";
import { defineStage, StageError } from "../types";
import { toStageError } from "./predict-core";
import { prepareTrainingData } from "./target";
import { checkModelTask, modelTrainingShape } from "./train";

const params = z.object({
  ...modelTrainingShape(),
  folds: z.number().int().min(2, "Use at least 2 folds").max(20, "Use at most 20 folds").default(5).describe("Folds (k)"),
  stratified: z.boolean().default(true).describe("Stratify folds by class (classification)"),
});

export type CrossValidateParams = z.output<typeof params>;

export interface CrossValidationReport {
  task: "cross-validation";
  modelTask: "classification" | "regression";
  model: { algorithm: string; params: Record<string, unknown> };
  target: string;
  rows: number;
  stratified: boolean;
  seed: number;
  folds: { fold: number; rows: number; metrics: FoldMetrics }[];
  mean: Record<string, number | null>;
  std: Record<string, number | null>;
}

export const crossValidate = defineStage({
  id: "cross-validate",
  version: 1,
  title: "Cross-validate",
  category: "Evaluate",
  description:
    "Estimates how well a model generalises: k-fold (stratified for classes) cross-validation, each fold fitted on the others and scored on itself; per-fold metrics with mean and standard deviation.",
  params,
  inputs: { table: { type: "table", label: "Labelled data", description: "Rows with the target column (e.g. the training split)." } },
  outputs: { metrics: { type: "metrics", label: "Cross-validation metrics" } },
  async run(ctx) {
    const p = ctx.params;
    const table = ctx.readTable("table");
    const spec = requireModel(p.model);
    const data = prepareTrainingData(table, p, (m) => ctx.log(m), spec.tasks, "table");
    checkModelTask(spec.id, data.task);
    let modelParams: Record<string, unknown>;
    try {
      modelParams = modelParamsOf(spec, p);
    } catch (error) {
      throw toStageError(error);
    }
    const n = table.rowCount;
    if (p.folds > n) {
      throw new StageError(`${p.folds} folds need at least ${p.folds} rows, but the table has ${n}. Use at most ${n} folds.`, { field: "folds" });
    }
    const stratified = data.task === "classification" && p.stratified;
    if (data.task === "regression" && p.stratified) ctx.log("Regression target: folds are plain (shuffled) k-fold; stratification applies to classes.");
    const foldOf = stratified
      ? stratifiedKFoldAssignment(data.y as Int32Array, data.classes!.length, p.folds, p.seed)
      : kFoldAssignment(n, p.folds, p.seed);
    if (stratified) warnSmallClasses(data.y as Int32Array, data.classes!, p.folds, (m) => ctx.warn(m));

    const cv: CvData = { X: data.X, y: data.y, task: data.task, classNames: data.classes, featureNames: data.features, foldOf };
    const { FoldRunner, chooseThreads } = await import("../../ml/search/fold-runner");
    const threads = chooseThreads(p.folds, data.X.rows, data.X.cols);
    const runner = new FoldRunner(cv, threads);
    ctx.reportBackend(threads > 1 ? `cpu (${threads} threads)` : "cpu");
    ctx.log(`${p.folds}-fold ${stratified ? "stratified " : ""}cross-validation of ${spec.title} on ${n} rows${threads > 1 ? ` using ${threads} threads` : ""}.`);
    let done = 0;
    const jobs = Array.from({ length: p.folds }, (_, fold) => ({ id: 0, fold, modelId: spec.id, params: modelParams, seed: p.seed }));
    let outcomes;
    try {
      outcomes = await runner.run(jobs, {
        signal: ctx.signal,
        onOutcome: (o) => {
          ctx.progress(0.05 + (0.9 * ++done) / p.folds, `fold ${done}/${p.folds}`);
          if (o.ok) ctx.log(`Fold ${o.fold + 1}/${p.folds}: ${headlineText(o.metrics)}.`);
        },
      });
    } finally {
      await runner.close();
    }
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) {
      const why = failed.error.charAt(0).toUpperCase() + failed.error.slice(1);
      throw new StageError(`Fold ${failed.fold + 1} of ${p.folds} failed: ${why}.`, { field: failed.param });
    }
    const folds = outcomes.map((o) => ({ fold: o.fold + 1, rows: countFold(foldOf, o.fold), metrics: (o as { metrics: FoldMetrics }).metrics }));
    const { mean, std } = summariseFolds(folds.map((f) => f.metrics));
    const report: CrossValidationReport = {
      task: "cross-validation",
      modelTask: data.task,
      model: { algorithm: spec.id, params: modelParams },
      target: p.target,
      rows: n,
      stratified,
      seed: p.seed,
      folds,
      mean,
      std,
    };
    const headline = data.task === "classification" ? "accuracy" : "r2";
    ctx.log(`Mean ${headline === "r2" ? "R²" : "accuracy"} ${fmt(mean[headline] ?? NaN)} ± ${fmt(std[headline] ?? NaN)} over ${p.folds} folds.`);
    ctx.progress(1);
    return {
      metrics: ctx.writeJson("metrics", report, { task: "cross-validation", folds: p.folds, [headline]: mean[headline], [`${headline}Std`]: std[headline] }),
    };
  },
});

function headlineText(m: FoldMetrics): string {
  if ("accuracy" in m) return `accuracy ${fmt(m.accuracy)}, macro F1 ${fmt(m.macroF1)}`;
  return `R² ${fmt(m.r2)}, RMSE ${fmt(m.rmse)}`;
}

function countFold(foldOf: Int32Array, fold: number): number {
  let c = 0;
  for (const f of foldOf) if (f === fold) c++;
  return c;
}

/** scikit-learn warns when a class has fewer members than folds: some folds then lack it. */
function warnSmallClasses(y: Int32Array, classes: string[], folds: number, warn: (m: string) => void): void {
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of y) counts[c]++;
  const small = classes.map((name, c) => ({ name, count: counts[c] })).filter((c) => c.count < folds);
  if (small.length) {
    warn(
      `${small.map((c) => `Class '${c.name}' has only ${c.count} row${c.count === 1 ? "" : "s"}`).join("; ")}, fewer than the ${folds} folds, so some folds have no example of it. Use fewer folds or more rows.`,
    );
  }
}
