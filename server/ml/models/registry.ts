/**
 * The model library: every algorithm Train, Cross-validate and Tune can fit, in palette order.
 * Stages read the params form from here (one flat object whose fields carry
 * `meta.showWhen = { model: [ids] }`, so the inspector shows only the chosen model's fields).
 */
import { z } from "zod";
import { MlInputError } from "../errors";
import { cnnModel } from "./cnn";
import { gaussianNbModel } from "./gaussian-nb";
import { knnModel } from "./knn";
import { linearRegressionModel } from "./linear-regression";
import { logisticRegressionModel } from "./logistic-regression";
import { mlpModel } from "./mlp";
import { multinomialNbModel } from "./multinomial-nb";
import { ridgeModel } from "./ridge";
import { TREE_MODELS } from "./trees";
import type { ModelSpec, ModelTask } from "./types";

export const MODELS: readonly ModelSpec<any, any>[] = [
  logisticRegressionModel,
  linearRegressionModel,
  ridgeModel,
  ...TREE_MODELS,
  knnModel,
  gaussianNbModel,
  multinomialNbModel,
  mlpModel,
  cnnModel,
];

const byId = new Map(MODELS.map((m) => [m.id, m]));

export function getModel(id: string): ModelSpec<any, any> | undefined {
  return byId.get(id);
}

/** The model or an error listing the ones that exist. */
export function requireModel(id: string): ModelSpec<any, any> {
  const spec = byId.get(id);
  if (!spec) {
    throw new MlInputError(`unknown model '${id}'; the library has ${MODELS.map((m) => `'${m.id}'`).join(", ")}`, { param: "model" });
  }
  return spec;
}

export function modelIds(): [string, ...string[]] {
  return MODELS.map((m) => m.id) as [string, ...string[]];
}

export function modelsForTask(task: ModelTask): ModelSpec<any, any>[] {
  return MODELS.filter((m) => m.tasks.includes(task));
}

/** The param names a model reads, in its schema's order. */
export function paramKeys(spec: ModelSpec<any, any>): string[] {
  return Object.keys(spec.params.shape);
}

/**
 * The "model" choice field: an enum of registry ids. `meta.options` gives the inspector a title
 * and the tasks of each id.
 */
export function modelChoiceField(defaultId = "logistic-regression") {
  return z
    .enum(modelIds())
    .default(defaultId)
    .meta({ options: MODELS.map((m) => ({ value: m.id, label: m.title, tasks: [...m.tasks], description: m.description })) })
    .describe("Model");
}

let flatShape: Record<string, z.ZodType> | null = null;

/**
 * Every model's params as one flat shape, each field tagged `meta.showWhen = { model: [ids] }`.
 * Throws if two models use one name with different schemas (a name must mean one thing).
 */
export function modelParamsShape(): Record<string, z.ZodType> {
  if (flatShape) return flatShape;
  const owners = new Map<string, { schema: z.ZodType; ids: string[] }>();
  for (const spec of MODELS) {
    for (const [key, schema] of Object.entries(spec.params.shape as Record<string, z.ZodType>)) {
      const seen = owners.get(key);
      if (!seen) owners.set(key, { schema, ids: [spec.id] });
      else if (seen.schema !== schema) {
        throw new Error(
          `Model param '${key}' of '${spec.id}' is a different schema from the one '${seen.ids[0]}' uses; share the schema from params.ts or rename one of them`,
        );
      } else seen.ids.push(spec.id);
    }
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [key, { schema, ids }] of owners) {
    shape[key] = schema.meta({ ...(schema.meta() ?? {}), showWhen: { model: ids } });
  }
  flatShape = shape;
  return shape;
}

/**
 * The chosen model's own params out of a flat params object (a Train node's params, or a tuning
 * trial's), parsed by the model's schema so defaults are filled and ranges checked. An invalid value
 * is an MlInputError naming the param.
 */
export function modelParamsOf(spec: ModelSpec<any, any>, flat: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of paramKeys(spec)) if (flat[key] !== undefined) picked[key] = flat[key];
  const parsed = spec.params.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    throw new MlInputError(`param '${key}' of ${spec.title} is invalid (${JSON.stringify(picked[key])}): ${issue.message}`, { param: key });
  }
  return parsed.data as Record<string, unknown>;
}
