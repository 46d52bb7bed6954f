import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { StudioDb } from "../../db/client";
import { artifacts, cacheEntries, nodeRuns, pipelineVersions, runs, type NodeStatus, type RunStatus } from "../../db/schema";
import type { NodeError, NodeRunView, RunSummary } from "../api-types";
import type { ArtifactStore } from "../artifacts/store";
import type { ArtifactRef } from "../artifacts/types";
import { fileFingerprint } from "../files";
import type { StageDefinition } from "../stages/types";
import type { JobHandle, WorkerPool } from "../workers/pool";
import { cacheKey, explainKeyChange, type CacheKeyParts } from "./cache-key";
import { RunEventLog } from "./events";
import { incomingEdges, topologicalOrder, withDescendants } from "./graph";
import { parsePipelineDocument, type PipelineDocument, type PipelineNode } from "./pipeline-doc";
import { validatePipeline } from "./validate";

export interface EngineDeps {
  db: StudioDb;
  pool: WorkerPool;
  store: ArtifactStore;
  lookup: (stageId: string) => StageDefinition<any> | undefined;
  fileRoots: string[];
}

const TERMINAL_RUN: RunStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];
const DONE_NODE: NodeStatus[] = ["succeeded", "cached"];
const DEFAULT_TIMEOUT_MS = 6 * 3600 * 1000;

interface ActiveRun {
  runId: number;
  doc: PipelineDocument;
  views: Map<string, NodeRunView & { rowId: number }>;
  handles: Map<string, JobHandle>;
  forced: Set<string>;
  forceFrom: string | null;
  cancelled: boolean;
  finished: Promise<RunSummary>;
  finish(summary: RunSummary): void;
}

/**
 * Runs pipeline versions: validates, plans, serves unchanged nodes from the cache and schedules
 * the rest on the worker pool as their inputs become ready, recording every state change in
 * SQLite and publishing it as a run event. It knows nothing of HTTP or React.
 */
export class RunEngine {
  readonly events: RunEventLog;
  private readonly active = new Map<number, ActiveRun>();

  constructor(private readonly deps: EngineDeps) {
    this.events = new RunEventLog(deps.db);
  }

  /** At start-up: runs that were in flight when the studio stopped are marked interrupted. */
  recoverInterrupted(): number[] {
    const { db } = this.deps;
    const stale = db.select({ id: runs.id }).from(runs).where(inArray(runs.status, ["queued", "running"])).all();
    for (const { id } of stale) {
      const now = new Date();
      db.update(nodeRuns)
        .set({
          status: "cancelled",
          error: { message: "Interrupted: the studio stopped while this node was waiting or running. Resume the run to continue." },
          finishedAt: now,
        })
        .where(and(eq(nodeRuns.runId, id), inArray(nodeRuns.status, ["pending", "queued", "running"])))
        .run();
      db.update(runs)
        .set({ status: "interrupted", finishedAt: now, error: "The studio stopped while this run was in progress." })
        .where(eq(runs.id, id))
        .run();
      this.events.publish(id, { type: "run", run: this.runSummary(id) });
    }
    return stale.map((r) => r.id);
  }

  /** Creates a run of a saved pipeline version and starts it; returns the run id at once. */
  startRun(options: { pipelineVersionId: number; trigger: "ui" | "cli" | "api"; forceFrom?: string }): number {
    const { db } = this.deps;
    const version = db.select().from(pipelineVersions).where(eq(pipelineVersions.id, options.pipelineVersionId)).get();
    if (!version) throw new Error(`Pipeline version ${options.pipelineVersionId} does not exist.`);
    const doc = parsePipelineDocument(version.document, `pipeline version ${version.number}`);
    if (options.forceFrom && !doc.nodes.some((n) => n.id === options.forceFrom)) {
      throw new Error(`Node "${options.forceFrom}" is not in version ${version.number} of this pipeline.`);
    }
    const run = db
      .insert(runs)
      .values({
        pipelineId: version.pipelineId,
        pipelineVersionId: version.id,
        status: "queued",
        trigger: options.trigger,
        forceFrom: options.forceFrom ?? null,
      })
      .returning({ id: runs.id })
      .get();
    db.transaction((tx) => {
      for (const node of doc.nodes) {
        tx.insert(nodeRuns)
          .values({ runId: run.id, nodeId: node.id, stageId: node.stage, stageVersion: node.stageVersion, status: "pending" })
          .run();
      }
    });
    this.launch(run.id, doc, options.forceFrom ?? null);
    return run.id;
  }

  /** Continues a run that was interrupted, failed or cancelled, keeping every node that finished. */
  resume(runId: number): number {
    const { db } = this.deps;
    const run = db.select().from(runs).where(eq(runs.id, runId)).get();
    if (!run) throw new Error(`Run ${runId} does not exist.`);
    if (this.active.has(runId)) throw new Error(`Run ${runId} is still running.`);
    if (run.status === "succeeded") throw new Error(`Run ${runId} already succeeded; start a new run instead.`);
    const version = db.select().from(pipelineVersions).where(eq(pipelineVersions.id, run.pipelineVersionId)).get()!;
    const doc = parsePipelineDocument(version.document);
    db.update(nodeRuns)
      .set({ status: "pending", error: null, progress: null, progressMessage: null, attempt: 0 })
      .where(and(eq(nodeRuns.runId, runId), inArray(nodeRuns.status, ["pending", "queued", "running", "failed", "cancelled", "skipped"])))
      .run();
    db.update(runs).set({ status: "queued", error: null, finishedAt: null }).where(eq(runs.id, runId)).run();
    this.launch(runId, doc, null);
    return runId;
  }

  cancel(runId: number): boolean {
    const active = this.active.get(runId);
    if (!active) return false;
    active.cancelled = true;
    for (const handle of active.handles.values()) handle.cancel();
    this.settle(active);
    return true;
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  /** Resolves with the run's final summary (at once if it already finished). */
  async waitForRun(runId: number): Promise<RunSummary> {
    const active = this.active.get(runId);
    return active ? active.finished : this.runSummary(runId);
  }

  /** Cancels every active run, e.g. before the studio shuts down. */
  cancelAll(): void {
    for (const runId of [...this.active.keys()]) this.cancel(runId);
  }

  runSummary(runId: number): RunSummary {
    const row = this.deps.db
      .select({ run: runs, versionNumber: pipelineVersions.number })
      .from(runs)
      .innerJoin(pipelineVersions, eq(runs.pipelineVersionId, pipelineVersions.id))
      .where(eq(runs.id, runId))
      .get();
    if (!row) throw new Error(`Run ${runId} does not exist.`);
    return toRunSummary(row.run, row.versionNumber);
  }

  nodeViews(runId: number): NodeRunView[] {
    const active = this.active.get(runId);
    if (active) return [...active.views.values()].map(stripRowId);
    return this.deps.db.select().from(nodeRuns).where(eq(nodeRuns.runId, runId)).orderBy(nodeRuns.id).all().map(toNodeView);
  }

  // --- execution -------------------------------------------------------------------------------

  private launch(runId: number, doc: PipelineDocument, forceFrom: string | null): void {
    const { db } = this.deps;
    let finish!: (summary: RunSummary) => void;
    const finished = new Promise<RunSummary>((resolve) => (finish = resolve));
    const rows = db.select().from(nodeRuns).where(eq(nodeRuns.runId, runId)).all();
    const views = new Map(rows.map((row) => [row.nodeId, { ...toNodeView(row), rowId: row.id }]));
    const forced = forceFrom ? withDescendants(doc, forceFrom) : new Set<string>();
    const active: ActiveRun = { runId, doc, views, handles: new Map(), forced, forceFrom, cancelled: false, finished, finish };
    this.active.set(runId, active);

    db.update(runs).set({ status: "running", startedAt: new Date() }).where(eq(runs.id, runId)).run();
    // Clients read the nodes' starting state with runs.get; events carry the changes from here on.
    this.events.publish(runId, { type: "run", run: this.runSummary(runId) });

    const issues = validatePipeline(doc, this.deps.lookup);
    if (issues.length) {
      for (const issue of issues) {
        const view = issue.nodeId ? views.get(issue.nodeId) : undefined;
        if (view && view.status !== "failed") {
          this.updateNode(active, issue.nodeId!, { status: "failed", error: { message: issue.message, field: issue.field } });
        }
      }
      this.settle(active, `The pipeline is not valid:\n${issues.map((i) => `- ${i.message}`).join("\n")}`);
      return;
    }
    this.schedule(active);
  }

  /** Starts every node whose inputs are ready; called whenever a node finishes. */
  private schedule(active: ActiveRun): void {
    if (active.cancelled) return;
    // One transaction per pass: a fully cached pipeline settles in a single commit.
    this.deps.db.transaction(() => this.schedulePass(active));
  }

  private schedulePass(active: ActiveRun): void {
    const incoming = incomingEdges(active.doc);
    const { order } = topologicalOrder(active.doc);
    const nodesById = new Map(active.doc.nodes.map((n) => [n.id, n]));
    let progressed = true;
    // Cached nodes finish synchronously, which can make their children ready: loop until stable.
    while (progressed && !active.cancelled) {
      progressed = false;
      for (const nodeId of order) {
        const view = active.views.get(nodeId)!;
        if (view.status !== "pending") continue;
        const deps = incoming.get(nodeId)!;
        const blocked = deps.find((e) => ["failed", "skipped", "cancelled"].includes(active.views.get(e.source)!.status));
        if (blocked) {
          const upstream = nodesById.get(blocked.source)!;
          this.updateNode(active, nodeId, {
            status: "skipped",
            error: { message: `Not run: upstream node "${upstream.label ?? upstream.stage}" (${upstream.id}) did not succeed.` },
          });
          progressed = true;
          continue;
        }
        if (!deps.every((e) => DONE_NODE.includes(active.views.get(e.source)!.status))) continue;
        this.startNode(active, nodesById.get(nodeId)!, deps);
        progressed = true;
      }
    }
    this.settleIfDone(active);
  }

  private startNode(active: ActiveRun, node: PipelineNode, deps: { source: string; sourcePort: string; targetPort: string }[]): void {
    const stage = this.deps.lookup(node.stage)!;
    const params = stage.params.parse(node.params) as Record<string, unknown>;
    const inputs: Record<string, ArtifactRef> = {};
    for (const edge of deps) {
      const ref = active.views.get(edge.source)!.outputs?.[edge.sourcePort];
      if (ref) inputs[edge.targetPort] = ref;
      else if (!stage.inputs[edge.targetPort]?.optional) {
        this.updateNode(active, node.id, {
          status: "failed",
          error: { message: `Upstream node ${edge.source} produced no "${edge.sourcePort}" output for input "${edge.targetPort}".`, field: edge.targetPort },
        });
        return;
      }
    }
    const files = Object.fromEntries(
      (stage.externalFiles?.(params) ?? []).map((file) => [file, fileFingerprint(file, this.deps.fileRoots)]),
    );
    const parts: CacheKeyParts = {
      stage: stage.id,
      stageVersion: stage.version,
      params,
      inputs: Object.fromEntries(Object.entries(inputs).map(([port, ref]) => [port, ref.hash])),
      files,
    };
    const key = cacheKey(parts);
    const view = active.views.get(node.id)!;
    this.deps.db.update(nodeRuns).set({ cacheKey: key, keyParts: parts }).where(eq(nodeRuns.id, view.rowId)).run();

    if (!active.forced.has(node.id)) {
      const hit = this.deps.db.select().from(cacheEntries).where(eq(cacheEntries.key, key)).get();
      const outputs = hit?.outputs as Record<string, ArtifactRef> | undefined;
      if (outputs && Object.values(outputs).every((ref) => this.deps.store.has(ref.hash))) {
        const now = Date.now();
        this.updateNode(active, node.id, {
          status: "cached",
          outputs,
          cache: { cached: true, reasons: ["same stage version, params and inputs as an earlier run"] },
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
          progress: 1,
        });
        return;
      }
    }
    const reasons = active.forced.has(node.id)
      ? [node.id === active.forceFrom ? "re-run requested from this node" : `downstream of ${active.forceFrom}, re-run on request`]
      : explainKeyChange(this.previousParts(active.runId, node.id), parts);
    this.updateNode(active, node.id, { status: "queued", cache: { cached: false, reasons }, error: null });
    this.runOnWorker(active, node, stage, params, inputs, key);
  }

  /** The key parts of this node's last successful run in the same pipeline, for "why it re-ran". */
  private previousParts(runId: number, nodeId: string): CacheKeyParts | null {
    const { db } = this.deps;
    const pipelineId = db.select({ pipelineId: runs.pipelineId }).from(runs).where(eq(runs.id, runId)).get()!.pipelineId;
    const row = db
      .select({ keyParts: nodeRuns.keyParts })
      .from(nodeRuns)
      .innerJoin(runs, eq(nodeRuns.runId, runs.id))
      .where(
        and(
          eq(runs.pipelineId, pipelineId),
          eq(nodeRuns.nodeId, nodeId),
          inArray(nodeRuns.status, DONE_NODE),
          isNotNull(nodeRuns.keyParts),
        ),
      )
      .orderBy(desc(nodeRuns.id))
      .limit(1)
      .get();
    return (row?.keyParts as CacheKeyParts | undefined) ?? null;
  }

  private runOnWorker(
    active: ActiveRun,
    node: PipelineNode,
    stage: StageDefinition<any>,
    params: Record<string, unknown>,
    inputs: Record<string, ArtifactRef>,
    key: string,
  ): void {
    const view = active.views.get(node.id)!;
    const attempt = view.attempt + 1;
    const startedAt = Date.now();
    const handle = this.deps.pool.submit(
      {
        nodeId: node.id,
        stageId: stage.id,
        params,
        inputs,
        prefers: typeof stage.prefers === "function" ? stage.prefers(params) : (stage.prefers ?? "cpu"),
        timeoutMs: (node.settings?.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
      },
      {
        onStart: ({ pid, device }) => {
          this.deps.db.update(nodeRuns).set({ workerPid: pid }).where(eq(nodeRuns.id, view.rowId)).run();
          this.updateNode(active, node.id, { status: "running", device, attempt, startedAt: Date.now(), progress: null, progressMessage: null });
        },
        onProgress: (fraction, message) => this.updateNode(active, node.id, { progress: fraction, progressMessage: message ?? null }),
        onLog: (level, message) => this.log(active.runId, node.id, level, message),
        onBackend: (name) => this.updateNode(active, node.id, { backend: name }),
      },
    );
    active.handles.set(node.id, handle);
    handle.result.then((outcome) => {
      active.handles.delete(node.id);
      if (active.cancelled || this.active.get(active.runId) !== active) return;
      const finishedAt = Date.now();
      const runningSince = active.views.get(node.id)!.startedAt ?? startedAt;
      if (outcome.ok) {
        this.recordOutputs(key, stage.id, view.rowId, outcome.outputs);
        this.updateNode(active, node.id, {
          status: "succeeded",
          outputs: outcome.outputs,
          progress: 1,
          finishedAt,
          durationMs: finishedAt - runningSince,
        });
      } else if (outcome.reason !== "cancelled" && attempt <= (node.settings?.retries ?? 0)) {
        this.log(active.runId, node.id, "warn", `Attempt ${attempt} failed: ${outcome.error.message} Retrying.`);
        this.updateNode(active, node.id, { status: "queued", attempt });
        this.runOnWorker(active, node, stage, params, inputs, key);
        return;
      } else {
        this.log(active.runId, node.id, "error", outcome.error.message);
        // Partial outputs are shown (a failed validation's report) but never cached.
        if (outcome.outputs) this.recordArtifacts(outcome.outputs);
        this.updateNode(active, node.id, {
          status: outcome.reason === "cancelled" ? "cancelled" : "failed",
          outputs: outcome.outputs ?? null,
          error: outcome.error,
          finishedAt,
          durationMs: finishedAt - runningSince,
        });
      }
      this.schedule(active);
    });
  }

  private recordArtifacts(outputs: Record<string, ArtifactRef>): void {
    for (const ref of Object.values(outputs)) {
      this.deps.db
        .insert(artifacts)
        .values({ hash: ref.hash, kind: ref.kind, size: ref.size, summary: ref.summary })
        .onConflictDoNothing()
        .run();
    }
  }

  private recordOutputs(key: string, stageId: string, nodeRunId: number, outputs: Record<string, ArtifactRef>): void {
    const { db } = this.deps;
    db.transaction((tx) => {
      this.recordArtifacts(outputs);
      tx.insert(cacheEntries)
        .values({ key, stageId, outputs, nodeRunId })
        .onConflictDoUpdate({ target: cacheEntries.key, set: { outputs, nodeRunId } })
        .run();
    });
  }

  private log(runId: number, nodeId: string | null, level: "info" | "warn" | "error", message: string): void {
    this.events.publish(runId, { type: "log", log: { id: 0, nodeId, level, message, at: Date.now() } });
  }

  private updateNode(active: ActiveRun, nodeId: string, patch: Partial<NodeRunView>): void {
    const view = active.views.get(nodeId)!;
    Object.assign(view, patch);
    const set: Partial<typeof nodeRuns.$inferInsert> = {};
    if ("status" in patch) set.status = patch.status;
    if ("progress" in patch) set.progress = patch.progress;
    if ("progressMessage" in patch) set.progressMessage = patch.progressMessage;
    if ("device" in patch) set.device = patch.device;
    if ("backend" in patch) set.backend = patch.backend;
    if ("attempt" in patch) set.attempt = patch.attempt;
    if ("durationMs" in patch) set.durationMs = patch.durationMs;
    if ("startedAt" in patch) set.startedAt = patch.startedAt == null ? null : new Date(patch.startedAt);
    if ("finishedAt" in patch) set.finishedAt = patch.finishedAt == null ? null : new Date(patch.finishedAt);
    if ("cache" in patch) set.cacheReason = patch.cache;
    if ("outputs" in patch) set.outputs = patch.outputs;
    if ("error" in patch) set.error = patch.error;
    this.deps.db.update(nodeRuns).set(set).where(eq(nodeRuns.id, view.rowId)).run();
    this.events.publish(active.runId, { type: "node", node: stripRowId(view) });
  }

  private settleIfDone(active: ActiveRun): void {
    const busy = [...active.views.values()].some((v) => ["pending", "queued", "running"].includes(v.status));
    if (!busy) this.settle(active);
  }

  /** Finishes the run: its status follows from the nodes (or from cancel / a validation error). */
  private settle(active: ActiveRun, error?: string): void {
    if (this.active.get(active.runId) !== active) return;
    const now = Date.now();
    for (const [nodeId, view] of active.views) {
      if (["pending", "queued", "running"].includes(view.status)) {
        this.updateNode(active, nodeId, {
          status: "cancelled",
          error: { message: active.cancelled ? "Cancelled." : "Not run." },
          finishedAt: now,
        });
      }
    }
    const failed = [...active.views.values()].filter((v) => v.status === "failed");
    const status: RunStatus = active.cancelled ? "cancelled" : failed.length || error ? "failed" : "succeeded";
    const message =
      error ??
      (failed.length
        ? failed.map((v) => `${v.nodeId}: ${v.error?.message ?? "failed"}`).join("\n")
        : active.cancelled
          ? "Cancelled by the user."
          : null);
    this.deps.db.update(runs).set({ status, finishedAt: new Date(now), error: message }).where(eq(runs.id, active.runId)).run();
    this.active.delete(active.runId);
    const summary = this.runSummary(active.runId);
    this.events.publish(active.runId, { type: "run", run: summary });
    active.finish(summary);
  }
}

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_RUN.includes(status);
}

function toRunSummary(run: typeof runs.$inferSelect, versionNumber: number): RunSummary {
  return {
    id: run.id,
    pipelineId: run.pipelineId,
    pipelineVersionId: run.pipelineVersionId,
    versionNumber,
    status: run.status,
    trigger: run.trigger,
    forceFrom: run.forceFrom,
    error: run.error,
    createdAt: run.createdAt.getTime(),
    startedAt: run.startedAt?.getTime() ?? null,
    finishedAt: run.finishedAt?.getTime() ?? null,
  };
}

export function toNodeView(row: typeof nodeRuns.$inferSelect): NodeRunView {
  return {
    nodeId: row.nodeId,
    stageId: row.stageId,
    status: row.status,
    progress: row.progress,
    progressMessage: row.progressMessage,
    device: row.device,
    backend: row.backend,
    attempt: row.attempt,
    durationMs: row.durationMs,
    startedAt: row.startedAt?.getTime() ?? null,
    finishedAt: row.finishedAt?.getTime() ?? null,
    cache: (row.cacheReason as NodeRunView["cache"]) ?? null,
    outputs: (row.outputs as NodeRunView["outputs"]) ?? null,
    error: (row.error as NodeError | null) ?? null,
  };
}

function stripRowId(view: NodeRunView & { rowId: number }): NodeRunView {
  const { rowId: _rowId, ...rest } = view;
  return rest;
}
