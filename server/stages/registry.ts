import { z } from "zod";
import type { StageDefinition } from "./types";
import { STAGE_CATEGORIES } from "./types";

/**
 * Every stage the studio knows. The palette, the inspector, connection checks, graph validation
 * and the workers all read this one list (principle 1). Add a stage by adding its module here.
 */
const STAGES: StageDefinition<any>[] = [];

const byId = new Map<string, StageDefinition<any>>();

export function registerStage(stage: StageDefinition<any>): void {
  if (byId.has(stage.id)) throw new Error(`Stage "${stage.id}" is registered twice`);
  byId.set(stage.id, stage);
  STAGES.push(stage);
}

export function getStage(id: string): StageDefinition<any> | undefined {
  return byId.get(id);
}

export function listStages(): readonly StageDefinition<any>[] {
  return STAGES;
}

/** What the front end receives about a stage: everything but `run`, params as JSON Schema. */
export interface StageInfo {
  id: string;
  version: number;
  title: string;
  category: string;
  description: string;
  /** "params": the node's params decide (Train: GPU for the MLP and CNN). */
  prefers: "cpu" | "gpu" | "params";
  inputs: { name: string; type: string; label: string; optional: boolean; description?: string }[];
  outputs: { name: string; type: string; label: string; description?: string }[];
  paramsSchema: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

export function stageInfo(stage: StageDefinition<any>): StageInfo {
  const ports = (specs: StageDefinition["inputs"]) =>
    Object.entries(specs).map(([name, spec]) => ({
      name,
      type: spec.type,
      label: spec.label,
      optional: spec.optional ?? false,
      description: spec.description,
    }));
  return {
    id: stage.id,
    version: stage.version,
    title: stage.title,
    category: stage.category,
    description: stage.description,
    prefers: typeof stage.prefers === "function" ? "params" : (stage.prefers ?? "cpu"),
    inputs: ports(stage.inputs),
    outputs: ports(stage.outputs).map(({ optional: _optional, ...port }) => port),
    paramsSchema: z.toJSONSchema(stage.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    defaults: defaultParams(stage),
  };
}

/** The params a new node starts with: each field's default; required fields without one are left out. */
export function defaultParams(stage: StageDefinition<any>): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(stage.params.shape as Record<string, z.ZodType>)) {
    const result = field.safeParse(undefined);
    if (result.success && result.data !== undefined) defaults[key] = result.data;
  }
  return defaults;
}

export function catalog(): StageInfo[] {
  const order = (category: string) => STAGE_CATEGORIES.indexOf(category as never);
  return [...STAGES].sort((a, b) => order(a.category) - order(b.category)).map(stageInfo);
}
