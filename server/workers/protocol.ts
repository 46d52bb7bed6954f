import type { ArtifactRef } from "../artifacts/types";
import type { NodeError } from "../api-types";

/** Messages between the studio and a worker process over Node's IPC channel. */
export interface JobSpec {
  jobId: string;
  nodeId: string;
  stageId: string;
  params: unknown;
  inputs: Record<string, ArtifactRef>;
}

export type ToWorker = { type: "run"; job: JobSpec } | { type: "shutdown" };

export type FromWorker =
  | { type: "ready"; pid: number }
  | { type: "progress"; jobId: string; fraction: number; message?: string }
  | { type: "log"; jobId: string; level: "info" | "warn"; message: string }
  | { type: "backend"; jobId: string; name: string }
  | { type: "done"; jobId: string; outputs: Record<string, ArtifactRef> }
  | { type: "failed"; jobId: string; error: NodeError; outputs?: Record<string, ArtifactRef> };
