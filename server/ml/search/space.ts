/**
 * A hyperparameter search space: a list of model params, each a float range (uniform or
 * log-uniform), an integer range or a list of choices. Values are checked against the model's own
 * param schema up front, so a trial never fails for a value the space itself allowed by mistake.
 */
import { z } from "zod";
import { MlInputError } from "../errors";
import { paramKeys } from "../models/registry";
import type { ModelSpec } from "../models/types";
import type { Rng } from "../rng";

export const PARAM_VALUE = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);
export type ParamValue = z.infer<typeof PARAM_VALUE>;

export const spaceEntrySchema = z.object({
  param: z.string().min(1).describe("Model param to search"),
  type: z.enum(["float", "log-float", "int", "choice"]).describe("float, log-float (log-uniform), int, or choice"),
  low: z.number().optional().describe("Lowest value (float, log-float, int)"),
  high: z.number().optional().describe("Highest value (float, log-float, int)"),
  values: z.array(PARAM_VALUE).optional().describe("Values to choose from (choice)"),
  steps: z.number().int().min(2).max(100).optional().describe("Grid points for a range (grid search; default 5)"),
});
export type SpaceEntry = z.infer<typeof spaceEntrySchema>;

export type TrialParams = Record<string, ParamValue>;

/** Checks every entry and its endpoints/choices against the model's params; names the entry. */
export function validateSpace(space: readonly SpaceEntry[], spec: ModelSpec<any, any>): void {
  if (space.length === 0) throw new MlInputError(`the search space is empty; add at least one param of ${spec.title} to search`, { param: "space" });
  const keys = paramKeys(spec);
  const seen = new Set<string>();
  for (const e of space) {
    const where = `search space entry '${e.param}'`;
    if (!keys.includes(e.param)) {
      throw new MlInputError(`${where}: '${e.param}' is not a param of ${spec.title}; its params are ${keys.map((k) => `'${k}'`).join(", ")}`, { param: "space" });
    }
    if (seen.has(e.param)) throw new MlInputError(`${where} appears twice; list each param once`, { param: "space" });
    seen.add(e.param);
    let probes: ParamValue[];
    if (e.type === "choice") {
      if (!e.values?.length) throw new MlInputError(`${where}: a choice needs a non-empty list of values`, { param: "space" });
      probes = e.values;
    } else {
      if (typeof e.low !== "number" || typeof e.high !== "number" || !Number.isFinite(e.low) || !Number.isFinite(e.high)) {
        throw new MlInputError(`${where}: a ${e.type} range needs finite low and high`, { param: "space" });
      }
      if (!(e.low < e.high)) throw new MlInputError(`${where}: low (${e.low}) must be below high (${e.high})`, { param: "space" });
      if (e.type === "log-float" && !(e.low > 0)) throw new MlInputError(`${where}: a log-float range needs low > 0 (got ${e.low})`, { param: "space" });
      if (e.type === "int" && (!Number.isInteger(e.low) || !Number.isInteger(e.high))) {
        throw new MlInputError(`${where}: an int range needs whole-number low and high`, { param: "space" });
      }
      probes = [e.low, e.high];
    }
    const field = (spec.params.shape as Record<string, z.ZodType>)[e.param]!;
    for (const v of probes) {
      const r = field.safeParse(v);
      if (!r.success) {
        throw new MlInputError(`${where}: ${JSON.stringify(v)} is not a valid value of '${e.param}' for ${spec.title}: ${r.error.issues[0]!.message}`, {
          param: "space",
        });
      }
    }
  }
}

/** The grid values of one entry: the choices, or `steps` points over the range (log-spaced for log-float, distinct integers for int). */
export function gridValues(e: SpaceEntry): ParamValue[] {
  if (e.type === "choice") return [...e.values!];
  const steps = e.steps ?? 5;
  const lo = e.low!;
  const hi = e.high!;
  if (e.type === "int") {
    if (hi - lo + 1 <= steps) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    const out: number[] = [];
    for (let i = 0; i < steps; i++) {
      const v = Math.round(lo + ((hi - lo) * i) / (steps - 1));
      if (out[out.length - 1] !== v) out.push(v);
    }
    return out;
  }
  return Array.from({ length: steps }, (_, i) => {
    if (i === steps - 1) return hi;
    const t = i / (steps - 1);
    return e.type === "log-float" ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
  });
}

/** One value drawn uniformly (log-uniformly for log-float; integers inclusive of both ends). */
export function sampleEntry(e: SpaceEntry, rng: Rng): ParamValue {
  switch (e.type) {
    case "choice":
      return e.values![rng.int(e.values!.length)]!;
    case "int":
      return e.low! + rng.int(e.high! - e.low! + 1);
    case "log-float":
      return Math.exp(rng.uniform(Math.log(e.low!), Math.log(e.high!)));
    default:
      return rng.uniform(e.low!, e.high!);
  }
}
