import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const projects = sqliteTable("projects", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const pipelines = sqliteTable("pipelines", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  projectId: integer("project_id").notNull().references(() => projects.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Immutable: a save adds a row; nothing updates or deletes one. */
export const pipelineVersions = sqliteTable(
  "pipeline_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pipelineId: integer("pipeline_id").notNull().references(() => pipelines.id),
    number: integer("number").notNull(),
    document: text("document", { mode: "json" }).notNull(),
    documentHash: text("document_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("pipeline_versions_number").on(t.pipelineId, t.number)],
);

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runs = sqliteTable(
  "runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pipelineId: integer("pipeline_id").notNull().references(() => pipelines.id),
    pipelineVersionId: integer("pipeline_version_id").notNull().references(() => pipelineVersions.id),
    status: text("status", { enum: RUN_STATUSES }).notNull(),
    trigger: text("trigger", { enum: ["ui", "cli", "api"] }).notNull(),
    /** Node the user re-ran from: it and its descendants skipped the cache. */
    forceFrom: text("force_from"),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("runs_pipeline").on(t.pipelineId, t.id)],
);

export const NODE_STATUSES = ["pending", "queued", "running", "cached", "succeeded", "failed", "cancelled", "skipped"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const nodeRuns = sqliteTable(
  "node_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id").notNull().references(() => runs.id),
    nodeId: text("node_id").notNull(),
    stageId: text("stage_id").notNull(),
    stageVersion: integer("stage_version").notNull(),
    status: text("status", { enum: NODE_STATUSES }).notNull(),
    cacheKey: text("cache_key"),
    /** The parts the cache key was made of, kept so "why did this re-run" can be answered. */
    keyParts: text("key_parts", { mode: "json" }),
    /** Why the node ran or was served from cache: { cached, reasons: [...] }. */
    cacheReason: text("cache_reason", { mode: "json" }),
    outputs: text("outputs", { mode: "json" }),
    progress: real("progress"),
    progressMessage: text("progress_message"),
    device: text("device"),
    backend: text("backend"),
    workerPid: integer("worker_pid"),
    attempt: integer("attempt").notNull().default(0),
    error: text("error", { mode: "json" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    durationMs: real("duration_ms"),
  },
  (t) => [uniqueIndex("node_runs_run_node").on(t.runId, t.nodeId), index("node_runs_cache_key").on(t.cacheKey)],
);

/** Everything that happened in a run, in order; the id is the SSE event id a client resumes from. */
export const runEvents = sqliteTable(
  "run_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id").notNull().references(() => runs.id),
    nodeId: text("node_id"),
    type: text("type").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("run_events_run").on(t.runId, t.id)],
);

/** Cache: a key (stage, version, params, input hashes) to the outputs it produced. */
export const cacheEntries = sqliteTable("cache_entries", {
  key: text("key").primaryKey(),
  stageId: text("stage_id").notNull(),
  outputs: text("outputs", { mode: "json" }).notNull(),
  nodeRunId: integer("node_run_id").references(() => nodeRuns.id),
  createdAt: createdAt(),
});

export const artifacts = sqliteTable("artifacts", {
  hash: text("hash").primaryKey(),
  kind: text("kind").notNull(),
  size: integer("size").notNull(),
  summary: text("summary", { mode: "json" }),
  createdAt: createdAt(),
});

/** Files users uploaded in the browser; the bytes live in the artifact store under `hash`. */
export const uploads = sqliteTable("uploads", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  hash: text("hash").notNull(),
  size: integer("size").notNull(),
  createdAt: createdAt(),
});

// Room for what comes next: versioned datasets, registered models and their deployments.

export const datasets = sqliteTable("datasets", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  projectId: integer("project_id").notNull().references(() => projects.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const datasetVersions = sqliteTable("dataset_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  datasetId: integer("dataset_id").notNull().references(() => datasets.id),
  number: integer("number").notNull(),
  artifactHash: text("artifact_hash").notNull(),
  runId: integer("run_id").references(() => runs.id),
  createdAt: createdAt(),
});

export const models = sqliteTable("models", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  projectId: integer("project_id").notNull().references(() => projects.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const modelVersions = sqliteTable("model_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  modelId: integer("model_id").notNull().references(() => models.id),
  number: integer("number").notNull(),
  artifactHash: text("artifact_hash").notNull(),
  runId: integer("run_id").references(() => runs.id),
  nodeId: text("node_id"),
  pipelineVersionId: integer("pipeline_version_id").references(() => pipelineVersions.id),
  params: text("params", { mode: "json" }),
  metrics: text("metrics", { mode: "json" }),
  aliases: text("aliases", { mode: "json" }),
  createdAt: createdAt(),
});

export const deployments = sqliteTable("deployments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  modelId: integer("model_id").notNull().references(() => models.id),
  name: text("name").notNull(),
  target: text("target").notNull(),
  config: text("config", { mode: "json" }),
  createdAt: createdAt(),
});
