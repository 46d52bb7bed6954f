/** A tiny hand-written catalog and document shared by the editor's unit tests. */
import { catalogById, type PipelineDocument, type StageInfo } from "./types";

function stage(id: string, inputs: [string, string][], outputs: [string, string][], extra: Partial<StageInfo> = {}): StageInfo {
  return {
    id,
    version: 1,
    title: id,
    category: "Transform",
    description: "",
    prefers: "cpu",
    inputs: inputs.map(([name, type]) => ({ name, type, label: name, optional: false })),
    outputs: outputs.map(([name, type]) => ({ name, type, label: name })),
    paramsSchema: { type: "object", properties: {} },
    defaults: {},
    ...extra,
  };
}

export const STAGES: StageInfo[] = [
  stage("load-csv", [], [["table", "table"]], { category: "Ingest", defaults: { path: "a.csv", opts: { x: 1 } } }),
  stage("split", [["table", "table"]], [["train", "table"], ["test", "table"]]),
  stage("train", [["train", "table"]], [["model", "model"]], { category: "Train" }),
  stage("evaluate", [["model", "model"], ["test", "table"]], [["metrics", "metrics"]], { category: "Evaluate" }),
];

export const CATALOG = catalogById(STAGES);

/** load -> split -> train -> evaluate, with split.test also into evaluate. */
export function demoDoc(): PipelineDocument {
  return {
    schema: 1,
    name: "demo",
    nodes: [
      { id: "load", stage: "load-csv", stageVersion: 1, params: {}, position: { x: 0, y: 0 } },
      { id: "split", stage: "split", stageVersion: 1, params: {}, position: { x: 200, y: 0 } },
      { id: "train", stage: "train", stageVersion: 1, params: { C: 1 }, position: { x: 400, y: 0 } },
      { id: "evaluate", stage: "evaluate", stageVersion: 1, params: {}, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: "e1", source: "load", sourcePort: "table", target: "split", targetPort: "table" },
      { id: "e2", source: "split", sourcePort: "train", target: "train", targetPort: "train" },
      { id: "e3", source: "train", sourcePort: "model", target: "evaluate", targetPort: "model" },
    ],
  };
}
