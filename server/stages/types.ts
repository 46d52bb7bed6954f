import type { z } from "zod";
import type { ArtifactKind, ArtifactRef } from "../artifacts/types";
import type { DataTable } from "../artifacts/table";

/** A typed port. The port's name is the handle id in the pipeline document (FORMATS.md §6). */
export interface PortSpec {
  type: ArtifactKind;
  label: string;
  /** An optional input may be left unconnected; the engine passes no ref for it. */
  optional?: boolean;
  description?: string;
}

export const STAGE_CATEGORIES = ["Ingest", "Validate", "Transform", "Train", "Evaluate", "Predict"] as const;
export type StageCategory = (typeof STAGE_CATEGORIES)[number];

/**
 * Everything a stage can do while it runs in a worker. Reading and writing artifacts goes through
 * here so stages never see file paths, and progress and logs reach the run view live.
 */
export interface StageContext<P> {
  params: P;
  /** The node's id in the pipeline, for messages. */
  nodeId: string;
  /** Connected inputs by port name (optional ports that are unconnected are absent). */
  inputs: Record<string, ArtifactRef>;
  readTable(port: string): DataTable;
  readJson<T = unknown>(port: string): T;
  writeTable(table: DataTable): ArtifactRef;
  writeJson(kind: Exclude<ArtifactKind, "table">, value: unknown, summary?: Record<string, unknown>): ArtifactRef;
  /** Raw bytes (an ONNX file); JSON and tables have their own methods. */
  readBytes(port: string): Buffer;
  writeBytes(kind: Exclude<ArtifactKind, "table">, bytes: Uint8Array, summary?: Record<string, unknown>): ArtifactRef;
  /** Reads a file the user uploaded or pointed at; the worker checks the path is allowed. */
  readUserFile(source: { path?: string; uploadId?: string }): { bytes: Buffer; name: string };
  /**
   * Reads a folder the user pointed at (every file under it, paths relative to it with "/"), or the
   * one file when the path names a file. The same root checks as readUserFile.
   */
  readUserFiles(path: string): { name: string; isFolder: boolean; files: { path: string; bytes: Buffer }[] };
  /** fraction in [0, 1]; message is optional ("epoch 3/50"). */
  progress(fraction: number, message?: string): void;
  log(message: string): void;
  warn(message: string): void;
  /** Which TensorFlow.js backend or device ran the stage, shown on the node ("wasm", "GPU 0"). */
  reportBackend(name: string): void;
  /** The device this worker is bound to. */
  device: { kind: "cpu" } | { kind: "gpu"; index: number };
  /** Aborted when the run is cancelled; long loops should check it. */
  signal: AbortSignal;
}

export interface StageDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  /** Bump when the stage's output for the same params and inputs changes: it invalidates caches. */
  version: number;
  title: string;
  category: StageCategory;
  description: string;
  params: S;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  /**
   * Files the stage reads from outside the artifact store (a CSV path). The engine folds their
   * size and modification time into the cache key, so editing the file re-runs the node.
   */
  externalFiles?(params: z.output<S>): string[];
  /**
   * "gpu" stages are scheduled on a GPU worker when one exists, else on a CPU worker. A function
   * decides per node from its params (Train wants a GPU for a neural network, not for a forest).
   */
  prefers?: "cpu" | "gpu" | ((params: z.output<S>) => "cpu" | "gpu");
  run(ctx: StageContext<z.output<S>>): Promise<Record<string, ArtifactRef>> | Record<string, ArtifactRef>;
}

/** Identity helper that keeps the params type flowing from the schema into `run`. */
export function defineStage<S extends z.ZodObject>(definition: StageDefinition<S>): StageDefinition<S> {
  return definition;
}

/**
 * An error a stage raises for bad input. The message says what is wrong and what to do; `field`
 * names the param, `line`/`row`/`column` point into the data, so the UI can highlight them.
 */
export class StageError extends Error {
  readonly field?: string;
  readonly line?: number;
  readonly row?: number;
  readonly column?: string;
  readonly hint?: string;
  /** Outputs written before the failure (a validation report), kept so the user can open them. */
  readonly outputs?: Record<string, ArtifactRef>;

  constructor(
    message: string,
    details: {
      field?: string;
      line?: number;
      row?: number;
      column?: string;
      hint?: string;
      outputs?: Record<string, ArtifactRef>;
    } = {},
  ) {
    super(message);
    this.name = "StageError";
    Object.assign(this, details);
  }
}
