import { z } from "zod";
import { kFoldAssignment, stratifiedKFoldAssignment, summariseFolds, type CvData, type FoldMetrics, type FoldOutcome } from "../../ml/models/cross-validation";
import { modelParamsOf, requireModel } from "../../ml/models/registry";
import { spaceEntrySchema, validateSpace, type SpaceEntry, type TrialParams } from "../../ml/search/space";
import { fmt } from "../common";
import { defineStage, StageError } from "../types";
import { toStageError } from "./predict-core";
import { prepareTrainingData } from "./target";
import { checkModelTask, fitStudioModel, modelTrainingShape } from "./train";

export const TUNING_METRICS = ["auto", "accuracy", "macroF1", "rocAuc", "r2", "neg-rmse"] as const;
type TuningMetric = Exclude<(typeof TUNING_METRICS)[number], "auto">;

const params = z.object({
  ...modelTrainingShape(),
  method: z.enum(["grid", "random", "bayesian"]).default("random").describe("Search method (bayesian = TPE)"),
  space: z
    .array(spaceEntrySchema)
    .default([])
    .meta({ widget: "search-space" })
    .describe("Search space: params to vary (empty = the model's default space)"),
  budgetTrials: z.number().int().min(1).max(1000).default(20).describe("Budget: trials"),
  budgetSeconds: z.number().positive().max(7 * 24 * 3600).optional().describe("Budget: seconds (optional; no new trial starts after it)"),
  folds: z.number().int().min(2, "Use at least 2 folds").max(20, "Use at most 20 folds").default(3).describe("Cross-validation folds per trial"),
  stratified: z.boolean().default(true).describe("Stratify folds by class (classification)"),
  metric: z.enum(TUNING_METRICS).default("auto").describe("Metric to maximise (auto = accuracy, or R² for regression)"),
});

export type TuneParams = z.output<typeof params>;

export interface TuningTrial {
  trial: number;
  params: TrialParams;
  /** Mean of the metric over folds (higher is better); null when the trial failed. */
  score: number | null;
  std: number | null;
  /** Fit + score time of the trial's folds, summed. */
  seconds: number;
  error?: string;
}

export interface TuningReport {
  kind: "tuning";
  metric: TuningMetric;
  method: "grid" | "random" | "bayesian";
  model: string;
  task: "classification" | "regression";
  folds: number;
  space: SpaceEntry[];
  /** The fixed params every trial started from (searched ones are overridden per trial). */
  baseParams: Record<string, unknown>;
  trials: TuningTrial[];
  best: { trial: number; params: TrialParams; score: number };
  threads: number;
  stoppedBy: "trials" | "seconds" | "grid";
}

const CLASSIFICATION_METRICS: TuningMetric[] = ["accuracy", "macroF1", "rocAuc"];

export const tune = defineStage({
  id: "tune",
  version: 1,
  title: "Tune hyperparameters",
  category: "Train",
  description:
    "Searches a model's hyperparameters (grid, random or Bayesian/TPE) by cross-validation on the training rows, trials in parallel threads; outputs the best params refitted on all rows and a report of every trial.",
  params,
  prefers: "cpu",
  inputs: { train: { type: "table", label: "Training data" } },
  outputs: {
    model: { type: "model", label: "Best model" },
    report: { type: "report", label: "Tuning report" },
  },
  async run(ctx) {
    const p = ctx.params;
    const started = performance.now();
    const table = ctx.readTable("train");
    const spec = requireModel(p.model);
    const data = prepareTrainingData(table, p, (m) => ctx.log(m), spec.tasks);
    checkModelTask(spec.id, data.task);
    const metric = resolveMetric(p.metric, data.task);
    let baseParams: Record<string, unknown>;
    const space: SpaceEntry[] = p.space.length ? p.space : [...(spec.defaultSpace ?? [])];
    try {
      baseParams = modelParamsOf(spec, p);
      validateSpace(space, spec);
    } catch (error) {
      throw toStageError(error);
    }
    if (!p.space.length) ctx.log(`Searching ${spec.title}'s default space: ${space.map(describeEntry).join("; ")}.`);
    if (p.folds > table.rowCount) {
      throw new StageError(`${p.folds} folds need at least ${p.folds} rows, but the training table has ${table.rowCount}.`, { field: "folds" });
    }
    const stratified = data.task === "classification" && p.stratified;
    const foldOf = stratified
      ? stratifiedKFoldAssignment(data.y as Int32Array, data.classes!.length, p.folds, p.seed)
      : kFoldAssignment(table.rowCount, p.folds, p.seed);

    const { FoldRunner, chooseThreads } = await import("../../ml/search/fold-runner");
    const { gridSuggestions, randomSuggestions, Tpe } = await import("../../ml/search/samplers");
    const cv: CvData = { X: data.X, y: data.y, task: data.task, classNames: data.classes, featureNames: data.features, foldOf };
    const threads = chooseThreads(p.budgetTrials * p.folds, data.X.rows, data.X.cols);
    const runner = new FoldRunner(cv, threads);
    ctx.reportBackend(threads > 1 ? `cpu (${threads} threads)` : "cpu");

    const deadline = p.budgetSeconds === undefined ? Infinity : started + p.budgetSeconds * 1000;
    const stop: { by: TuningReport["stoppedBy"] } = { by: "trials" };
    const trials: TuningTrial[] = [];
    let total = p.budgetTrials;
    const foldsDone = new Map<number, number>();
    let trialsDone = 0;
    const onOutcome = (o: FoldOutcome) => {
      const done = (foldsDone.get(o.id) ?? 0) + 1;
      foldsDone.set(o.id, done);
      if (done === p.folds) {
        trialsDone++;
        ctx.progress(0.02 + (0.88 * trialsDone) / total, `trial ${trialsDone}/${total}`);
      }
    };
    const mayStart = () => {
      if (performance.now() < deadline) return true;
      stop.by = "seconds";
      return false;
    };
    /** Runs trials (numbered from trials.length + 1) and appends their results. */
    const runTrials = async (suggestions: TrialParams[]) => {
      const first = trials.length;
      const jobs = suggestions.flatMap((s, t) =>
        Array.from({ length: p.folds }, (_, fold) => ({ id: first + t, fold, modelId: spec.id, params: { ...baseParams, ...s }, seed: p.seed })),
      );
      const outcomes = await runner.run(jobs, { signal: ctx.signal, mayStart, onOutcome });
      suggestions.forEach((s, t) => {
        const mine = outcomes.filter((o) => o.id === first + t);
        if (mine.length < p.folds) return; // not started: budget spent
        const result = trialResult(first + t + 1, s, mine, metric);
        trials.push(result);
        ctx.log(
          `Trial ${result.trial}: ${describeParams(s)} -> ${result.score === null ? `failed (${result.error})` : `${metric} ${fmt(result.score)} ± ${fmt(result.std ?? 0)}`}.`,
        );
      });
      return outcomes.length === jobs.length;
    };

    ctx.log(
      `${p.method === "bayesian" ? "Bayesian (TPE)" : p.method === "grid" ? "Grid" : "Random"} search of ${spec.title} over ${space.map((e) => e.param).join(", ")}: ` +
        `${p.folds}-fold ${stratified ? "stratified " : ""}cross-validation, metric ${metric}${threads > 1 ? `, ${threads} threads` : ""}.`,
    );
    try {
      if (p.method === "grid" || p.method === "random") {
        let suggestions: TrialParams[];
        if (p.method === "grid") {
          const grid = gridSuggestions(space, p.budgetTrials);
          suggestions = grid.trials;
          if (grid.truncatedFrom !== null) {
            ctx.warn(`The grid has ${grid.truncatedFrom} points but the budget is ${p.budgetTrials} trials; trying ${p.budgetTrials} points spread evenly over it. Raise "Budget: trials" to try them all.`);
          } else if (grid.trials.length < p.budgetTrials) stop.by = "grid";
        } else suggestions = randomSuggestions(space, p.budgetTrials, p.seed);
        total = suggestions.length;
        await runTrials(suggestions);
      } else {
        const tpe = new Tpe(space, { seed: p.seed, nStartup: Math.min(10, Math.max(2, Math.ceil(p.budgetTrials / 3))) });
        let suggested = 0;
        while (suggested < p.budgetTrials) {
          const batch = Math.min(threads, p.budgetTrials - suggested);
          const history = trials.filter((t) => t.score !== null).map((t) => ({ params: t.params, score: t.score! }));
          const next = tpe.suggest(history, batch, suggested);
          suggested += next.length;
          if (!(await runTrials(next))) break;
        }
      }
    } finally {
      await runner.close();
    }
    if (stop.by === "seconds") ctx.log(`Stopped after ${trials.length} trials: the ${fmt(p.budgetSeconds!)} s budget was spent.`);

    const ok = trials.filter((t) => t.score !== null);
    const failed = trials.filter((t) => t.score === null);
    if (failed.length) ctx.warn(`${failed.length} of ${trials.length} trials failed (first: trial ${failed[0]!.trial}, ${failed[0]!.error}).`);
    if (!ok.length) {
      if (!trials.length) throw new StageError(`No trial finished within the ${fmt(p.budgetSeconds ?? 0)} s budget. Raise "Budget: seconds".`, { field: "budgetSeconds" });
      throw new StageError(`Every trial failed; the first: ${failed[0]!.error}.`, { field: "space" });
    }
    let best = ok[0]!;
    for (const t of ok) if (t.score! > best.score!) best = t;
    ctx.log(`Best: trial ${best.trial} (${describeParams(best.params)}), ${metric} ${fmt(best.score!)} ± ${fmt(best.std ?? 0)}.`);

    ctx.progress(0.9, "refitting the best params on all rows");
    const { model } = await fitStudioModel(table, p, ctx, [0.9, 0.99], best.params);
    const report: TuningReport = {
      kind: "tuning",
      metric,
      method: p.method,
      model: spec.id,
      task: data.task,
      folds: p.folds,
      space,
      baseParams,
      trials,
      best: { trial: best.trial, params: best.params, score: best.score! },
      threads,
      stoppedBy: stop.by,
    };
    ctx.progress(1);
    return {
      model: ctx.writeJson("model", model, {
        algorithm: model.algorithm,
        task: model.task,
        target: p.target,
        features: model.features.length,
        classes: model.classes?.length ?? 0,
        backend: model.backend,
        tuned: true,
      }),
      report: ctx.writeJson("report", report, { kind: "tuning", metric, trials: trials.length, bestScore: best.score, bestTrial: best.trial }),
    };
  },
});

function resolveMetric(metric: TuneParams["metric"], task: "classification" | "regression"): TuningMetric {
  if (metric === "auto") return task === "classification" ? "accuracy" : "r2";
  const forClasses = CLASSIFICATION_METRICS.includes(metric);
  if (forClasses !== (task === "classification")) {
    throw new StageError(
      `The metric '${metric}' is for ${forClasses ? "classification" : "regression"}, but this is a ${task} task. Pick ${
        task === "classification" ? "accuracy, macroF1 or rocAuc" : "r2 or neg-rmse"
      }.`,
      { field: "metric" },
    );
  }
  return metric;
}

function metricOf(m: FoldMetrics, metric: TuningMetric): number | null {
  if (metric === "neg-rmse") return -(m as { rmse: number }).rmse;
  return (m as unknown as Record<string, number | null>)[metric] ?? null;
}

function trialResult(trial: number, params: TrialParams, outcomes: FoldOutcome[], metric: TuningMetric): TuningTrial {
  const seconds = outcomes.reduce((a, o) => a + o.seconds, 0);
  const bad = outcomes.find((o) => !o.ok);
  if (bad && !bad.ok) return { trial, params, score: null, std: null, seconds, error: `fold ${bad.fold + 1}: ${bad.error}` };
  const values = outcomes.map((o) => ({ v: metricOf((o as { metrics: FoldMetrics }).metrics, metric) }));
  const { mean, std } = summariseFolds(values.map((x) => ({ v: x.v }) as unknown as FoldMetrics));
  if (mean.v === null) return { trial, params, score: null, std: null, seconds, error: `${metric} is undefined in every fold` };
  return { trial, params, score: mean.v, std: std.v, seconds };
}

function describeEntry(e: SpaceEntry): string {
  return e.type === "choice" ? `${e.param} in ${JSON.stringify(e.values)}` : `${e.param} ${e.type} ${e.low}..${e.high}`;
}

function describeParams(p: TrialParams): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v) : JSON.stringify(v)}`)
    .join(", ");
}
