import type { ArtifactRef } from "./artifacts/types";
import type { NodeStatus, RunStatus } from "../db/schema";

/** Shapes the API returns about runs; shared by the routers, the engine and the UI. Times are ms. */
export interface NodeError {
  message: string;
  field?: string;
  line?: number;
  row?: number;
  column?: string;
  hint?: string;
}

export interface CacheExplanation {
  /** true: served from the cache; false: ran. */
  cached: boolean;
  /** Human-readable reasons, e.g. "param C changed (1 → 0.5)", "input train changed", "first run". */
  reasons: string[];
}

export interface NodeRunView {
  nodeId: string;
  stageId: string;
  status: NodeStatus;
  progress: number | null;
  progressMessage: string | null;
  device: string | null;
  backend: string | null;
  attempt: number;
  durationMs: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  cache: CacheExplanation | null;
  outputs: Record<string, ArtifactRef> | null;
  error: NodeError | null;
}

export interface RunSummary {
  id: number;
  pipelineId: number;
  pipelineVersionId: number;
  versionNumber: number;
  status: RunStatus;
  trigger: "ui" | "cli" | "api";
  forceFrom: string | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface RunLogLine {
  id: number;
  nodeId: string | null;
  level: "info" | "warn" | "error";
  message: string;
  at: number;
}

export type RunEvent =
  | { type: "run"; run: RunSummary }
  | { type: "node"; node: NodeRunView }
  | { type: "log"; log: RunLogLine };

/** A problem found in a pipeline before it runs, bound to the node, edge and param it concerns. */
export interface GraphIssue {
  code:
    | "cycle"
    | "unknown-stage"
    | "stage-version"
    | "duplicate-id"
    | "missing-node"
    | "unknown-port"
    | "port-type"
    | "input-taken"
    | "missing-input"
    | "param";
  message: string;
  nodeId?: string;
  edgeId?: string;
  field?: string;
}
