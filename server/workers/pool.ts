import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ArtifactRef } from "../artifacts/types";
import type { NodeError } from "../api-types";
import { deviceLabel, workerEnv, type Device } from "./devices";
import type { FromWorker, JobSpec, ToWorker } from "./protocol";

const WORKER_ENTRY = path.join(import.meta.dirname, "worker-entry.ts");

export interface JobRequest {
  nodeId: string;
  stageId: string;
  params: unknown;
  inputs: Record<string, ArtifactRef>;
  prefers: "cpu" | "gpu";
  timeoutMs?: number;
}

export interface JobCallbacks {
  onStart?(info: { pid: number; device: string }): void;
  onProgress?(fraction: number, message?: string): void;
  onLog?(level: "info" | "warn", message: string): void;
  onBackend?(name: string): void;
}

export type JobOutcome =
  | { ok: true; outputs: Record<string, ArtifactRef> }
  | {
      ok: false;
      error: NodeError;
      reason: "failed" | "crashed" | "timeout" | "cancelled";
      /** What the stage wrote before it failed (e.g. a validation report). */
      outputs?: Record<string, ArtifactRef>;
    };

export interface JobHandle {
  result: Promise<JobOutcome>;
  cancel(): void;
}

interface PendingJob {
  spec: JobSpec;
  request: JobRequest;
  callbacks: JobCallbacks;
  resolve(outcome: JobOutcome): void;
  cancelled: boolean;
}

interface WorkerSlot {
  device: Device;
  child: ChildProcess | null;
  /** Set once the worker said it loaded the stages; jobs are only sent to ready workers. */
  isReady: boolean;
  ready: Promise<void>;
  job: PendingJob | null;
  timer: NodeJS.Timeout | null;
}

export interface PoolOptions {
  devices: Device[];
  dataDir: string;
  fileRoots: string[];
  /** Extra environment for workers (tests use it to force a TensorFlow backend). */
  env?: Record<string, string | undefined>;
}

/**
 * A fixed pool of worker processes, one per device slot. Jobs wait in a FIFO queue; a job that
 * prefers a GPU waits for a GPU worker when the pool has any. A worker that crashes, hangs past
 * its timeout, or runs a cancelled job is killed and replaced; the job fails with a message that
 * says which of these happened.
 */
export class WorkerPool {
  private readonly slots: WorkerSlot[];
  private readonly queue: PendingJob[] = [];
  private stopped = false;

  constructor(private readonly options: PoolOptions) {
    this.slots = options.devices.map((device) => ({ device, child: null, isReady: false, ready: Promise.resolve(), job: null, timer: null }));
  }

  get size(): number {
    return this.slots.length;
  }

  get devices(): Device[] {
    return this.slots.map((s) => s.device);
  }

  /** Starts every worker and resolves when all have loaded the stage registry. */
  async start(): Promise<void> {
    for (const slot of this.slots) this.spawn(slot);
    await Promise.all(this.slots.map((s) => s.ready));
  }

  submit(request: JobRequest, callbacks: JobCallbacks = {}): JobHandle {
    let pending!: PendingJob;
    const result = new Promise<JobOutcome>((resolve) => {
      pending = {
        spec: { jobId: randomUUID(), nodeId: request.nodeId, stageId: request.stageId, params: request.params, inputs: request.inputs },
        request,
        callbacks,
        resolve,
        cancelled: false,
      };
    });
    this.queue.push(pending);
    this.dispatch();
    return {
      result,
      cancel: () => this.cancel(pending),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.resolve(cancelledOutcome());
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const child = slot.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            if (slot.job) child.kill("SIGKILL");
            else child.send({ type: "shutdown" } satisfies ToWorker, () => {});
            setTimeout(() => child.kill("SIGKILL"), 2000).unref();
          }),
      ),
    );
  }

  private spawn(slot: WorkerSlot): void {
    const child = fork(WORKER_ENTRY, [], {
      execArgv: ["--import", "tsx"],
      env: Object.assign({}, process.env, workerEnv(slot.device, { ...process.env, ...this.options.env }), {
        STUDIO_DATA_DIR: this.options.dataDir,
        STUDIO_FILE_ROOTS_JSON: JSON.stringify(this.options.fileRoots),
      }),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    slot.child = child;
    slot.isReady = false;
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === "ready") {
          slot.isReady = true;
          child.off("exit", onEarlyExit);
          resolve();
          this.dispatch();
        }
      };
      const onEarlyExit = (code: number | null) => reject(new Error(`A worker process exited during start-up (code ${code}).`));
      child.once("exit", onEarlyExit);
      child.on("message", onMessage);
    });
    slot.ready.catch(() => {});
    child.on("message", (message: FromWorker) => this.onMessage(slot, message));
    child.on("exit", (code, signal) => this.onExit(slot, child, code, signal));
  }

  private isIdle(slot: WorkerSlot): boolean {
    const child = slot.child;
    return !slot.job && slot.isReady && child !== null && child.connected && !child.killed && child.exitCode === null;
  }

  /** Picks the worker for a job: GPU jobs only on GPU workers when any exist; CPU jobs on CPU workers when any exist. */
  private pickSlot(job: PendingJob, readyIds: Set<WorkerSlot>): WorkerSlot | undefined {
    const wanted = job.request.prefers;
    const hasKind = (kind: Device["kind"]) => this.slots.some((s) => s.device.kind === kind);
    const kind: Device["kind"] = wanted === "gpu" ? (hasKind("gpu") ? "gpu" : "cpu") : hasKind("cpu") ? "cpu" : "gpu";
    return this.slots.find((s) => s.device.kind === kind && readyIds.has(s));
  }

  private readySlots = new Set<WorkerSlot>();

  private dispatch(): void {
    if (this.stopped) return;
    for (const slot of this.slots) {
      if (this.isIdle(slot)) this.readySlots.add(slot);
      else this.readySlots.delete(slot);
    }
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      const slot = this.pickSlot(job, this.readySlots);
      if (!slot) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.readySlots.delete(slot);
      this.startJob(slot, job);
    }
  }

  private startJob(slot: WorkerSlot, job: PendingJob): void {
    slot.job = job;
    const child = slot.child!;
    job.callbacks.onStart?.({ pid: child.pid!, device: deviceLabel(slot.device) });
    if (job.request.timeoutMs) {
      slot.timer = setTimeout(() => {
        const seconds = Math.round(job.request.timeoutMs! / 100) / 10;
        child.kill("SIGKILL");
        this.finish(slot, {
          ok: false,
          reason: "timeout",
          error: {
            message: `The stage did not finish within its ${seconds} s timeout and was stopped.`,
            hint: "Raise the node's timeout in its settings, or give it less data.",
          },
        });
      }, job.request.timeoutMs);
    }
    child.send({ type: "run", job: job.spec } satisfies ToWorker);
  }

  private finish(slot: WorkerSlot, outcome: JobOutcome): void {
    const job = slot.job;
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    job.resolve(outcome);
    this.dispatch();
  }

  private onMessage(slot: WorkerSlot, message: FromWorker): void {
    const job = slot.job;
    if (!job || !("jobId" in message) || message.jobId !== job.spec.jobId) return;
    switch (message.type) {
      case "progress":
        job.callbacks.onProgress?.(message.fraction, message.message);
        break;
      case "log":
        job.callbacks.onLog?.(message.level, message.message);
        break;
      case "backend":
        job.callbacks.onBackend?.(message.name);
        break;
      case "done":
        this.finish(slot, { ok: true, outputs: message.outputs });
        break;
      case "failed":
        this.finish(slot, { ok: false, reason: "failed", error: message.error, outputs: message.outputs });
        break;
    }
  }

  private onExit(slot: WorkerSlot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    const job = slot.job;
    if (job) {
      this.finish(
        slot,
        job.cancelled
          ? cancelledOutcome()
          : {
              ok: false,
              reason: "crashed",
              error: {
                message: `The worker process running this node exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}).`,
                hint: "The stage may have run out of memory or called process.exit; the studio started a new worker. Check the logs, then retry.",
              },
            },
      );
    }
    slot.child = null;
    if (!this.stopped) {
      this.spawn(slot);
    }
  }

  private cancel(job: PendingJob): void {
    job.cancelled = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.resolve(cancelledOutcome());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    // Killing is the only way to stop a stage that never yields; the pool replaces the worker.
    if (slot?.child) {
      slot.child.kill("SIGKILL");
      this.finish(slot, cancelledOutcome());
    }
  }
}

function cancelledOutcome(): JobOutcome {
  return { ok: false, reason: "cancelled", error: { message: "Cancelled." } };
}
