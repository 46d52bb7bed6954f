/**
 * Runs fold jobs (fit on k-1 folds, score on one) on worker threads, or in this thread when there is
 * one thread. Each job's result depends only on its inputs (params, seed, folds), never on which
 * thread ran it or when, so grid and random search give identical results for any thread count.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { runFoldJob, type CvData, type FoldJob, type FoldOutcome } from "../models/cross-validation";
import type { ModelTask } from "../models/types";
import { startTsWorker } from "../worker-threads";

/** CvData in SharedArrayBuffers, as a thread receives it. */
export interface SharedCvData {
  X: SharedArrayBuffer;
  rows: number;
  cols: number;
  y: SharedArrayBuffer;
  yKind: "int" | "float";
  task: ModelTask;
  classNames: readonly string[] | null;
  featureNames: readonly string[];
  foldOf: SharedArrayBuffer;
}

/** Threads to use: STUDIO_THREADS when set (tests, operators), else every core. */
export function defaultThreads(env: Record<string, string | undefined> = process.env): number {
  const forced = Number(env.STUDIO_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return forced;
  return Math.max(1, availableParallelism());
}

/**
 * Threads for `jobs` fold jobs on a rows x cols table: small work runs in this thread (starting a
 * thread and loading the models costs more than it saves); STUDIO_THREADS forces a count.
 */
export function chooseThreads(jobs: number, rows: number, cols: number, env: Record<string, string | undefined> = process.env): number {
  const forced = Number(env.STUDIO_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.max(1, Math.min(forced, jobs));
  if (rows * cols * jobs < 200_000) return 1;
  return Math.max(1, Math.min(defaultThreads(env), jobs));
}

function share(data: CvData): SharedCvData {
  const copy = (a: Float64Array | Int32Array) => {
    const sab = new SharedArrayBuffer(a.byteLength);
    (a instanceof Int32Array ? new Int32Array(sab) : new Float64Array(sab)).set(a as never);
    return sab;
  };
  return {
    X: copy(data.X.data),
    rows: data.X.rows,
    cols: data.X.cols,
    y: copy(data.y),
    yKind: data.y instanceof Int32Array ? "int" : "float",
    task: data.task,
    classNames: data.classNames,
    featureNames: data.featureNames,
    foldOf: copy(data.foldOf),
  };
}

const WORKER = new URL("./fold-worker.ts", import.meta.url);

export interface RunOptions {
  signal?: AbortSignal;
  /** Called before a job with fold 0 starts; false skips that job's id (all its folds) and every later id. */
  mayStart?(id: number): boolean;
  onOutcome?(outcome: FoldOutcome): void;
}

export class FoldRunner {
  private workers: Worker[] = [];
  private readonly shared: SharedCvData | null;
  private started: Promise<void> | null = null;

  constructor(
    private readonly data: CvData,
    readonly threads: number,
  ) {
    this.shared = threads > 1 ? share(data) : null;
  }

  private start(): Promise<void> {
    if (this.started) return this.started;
    this.started = Promise.all(
      Array.from({ length: this.threads }, () => {
        const worker = startTsWorker(WORKER, { data: this.shared });
        this.workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const onMessage = (m: { ready?: boolean }) => {
            if (m?.ready) {
              worker.off("message", onMessage);
              worker.off("error", reject);
              resolve();
            }
          };
          worker.on("message", onMessage);
          worker.once("error", reject);
        });
      }),
    ).then(() => undefined);
    return this.started;
  }

  /**
   * Runs the jobs (in the given order of dispatch) and resolves with the outcomes of those that ran,
   * in job order. Jobs of an id that `mayStart` refused are left out.
   */
  async run(jobs: FoldJob[], options: RunOptions = {}): Promise<FoldOutcome[]> {
    const outcomes = new Map<number, FoldOutcome>();
    let stoppedAt = Infinity;
    const admit = (index: number): boolean => {
      const job = jobs[index]!;
      if (job.id >= stoppedAt) return false;
      if (job.fold === 0 && options.mayStart && !options.mayStart(job.id)) {
        stoppedAt = job.id;
        return false;
      }
      return true;
    };
    const record = (index: number, outcome: FoldOutcome) => {
      outcomes.set(index, outcome);
      options.onOutcome?.(outcome);
    };

    if (this.threads <= 1) {
      for (let i = 0; i < jobs.length; i++) {
        if (options.signal?.aborted) throw abortError();
        if (!admit(i)) continue;
        record(i, await runFoldJob(this.data, jobs[i]!));
        // Let progress and cancel messages through between jobs.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return [...outcomes.keys()].sort((a, b) => a - b).map((i) => outcomes.get(i)!);
    }

    await this.start();
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let running = 0;
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        void this.close();
        reject(error);
      };
      const onAbort = () => fail(abortError());
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const dispatch = (worker: Worker) => {
        while (next < jobs.length && !admit(next)) next++;
        if (next >= jobs.length) {
          if (running === 0) {
            options.signal?.removeEventListener("abort", onAbort);
            resolve();
          }
          return;
        }
        const index = next++;
        running++;
        const onMessage = (outcome: FoldOutcome & { internal?: boolean }) => {
          worker.off("error", onError);
          running--;
          if (failed) return;
          if (outcome.internal) return fail(new Error(`A tuning thread failed: ${(outcome as { error: string }).error}`));
          record(index, outcome);
          dispatch(worker);
        };
        const onError = (error: Error) => {
          worker.off("message", onMessage);
          fail(error);
        };
        worker.once("message", onMessage);
        worker.once("error", onError);
        worker.postMessage(jobs[index]);
      };
      if (options.signal?.aborted) return fail(abortError());
      for (const worker of this.workers) dispatch(worker);
    });
    return [...outcomes.keys()].sort((a, b) => a - b).map((i) => outcomes.get(i)!);
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.started = null;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function abortError(): Error {
  return new DOMException("the run was cancelled", "AbortError");
}
