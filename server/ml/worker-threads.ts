/**
 * Worker threads for the model library (forest trees, histogram building, the logistic-regression
 * objective, cross-validation folds): starting them, and the Atomics handshake the shared-memory
 * kernels use. Starting TypeScript worker threads: The studio's processes run TypeScript through tsx
 * (`node --import tsx`), vitest runs it through vite, and neither hook reaches a new worker
 * thread by itself in every case, so every worker starts at ts-worker.mjs, which imports the
 * real entry and registers tsx only when the host has not.
 */
import { Worker, type Transferable } from "node:worker_threads";

const SHIM = new URL("./ts-worker.mjs", import.meta.url);

/** `entry` is a module URL relative to this directory's files, e.g. new URL("./forest-worker.ts", import.meta.url). */
export function startTsWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  return new Worker(SHIM, { workerData: { ...workerData, entry: entry.href } });
}

/**
 * Kernel threads outlive the fit that started them. Starting a thread costs 0.3-0.5 s (a fresh
 * isolate loading the model modules through tsx): as long as a whole logistic-regression fit on
 * 75k rows, which left its second thread idle for half the fit, and gradient boosting waited for
 * it before its first tree. The threads of a search's or a bench's consecutive fits, or of a
 * worker process's next Train stage, start at once instead. A thread idle for IDLE_THREAD_MS ends,
 * so a quiet process holds none; an idle thread does not keep the process alive.
 */
const IDLE_THREAD_MS = 30_000;
const idleThreads: { worker: Worker; timer: NodeJS.Timeout }[] = [];

function takeKernelThread(): Worker {
  const idle = idleThreads.pop();
  if (idle) {
    clearTimeout(idle.timer);
    return idle.worker;
  }
  return startKernelThread();
}

function startKernelThread(): Worker {
  const worker = new Worker(SHIM, { workerData: { kernelThread: true } });
  // Each job listens for its own outcome; this keeps a thread dying while idle from being an
  // unhandled 'error' event, and drops it from the idle list.
  worker.on("error", () => {});
  worker.on("exit", () => {
    const at = idleThreads.findIndex((t) => t.worker === worker);
    if (at >= 0) clearTimeout(idleThreads.splice(at, 1)[0]!.timer);
  });
  return worker;
}

function parkKernelThread(worker: Worker): void {
  worker.unref();
  const timer = setTimeout(() => void worker.terminate(), IDLE_THREAD_MS);
  timer.unref();
  idleThreads.push({ worker, timer });
}

/** How many kernel threads are idle now. */
export function idleKernelThreadCount(): number {
  return idleThreads.length;
}

/**
 * Starts kernel threads ahead of a fit that will want them, until `count` are idle: Train calls
 * it before it builds a large feature matrix, so a thread's start overlaps with that work instead
 * of the fit's first half-second. Every idle thread imports `entries` now (once per thread); the
 * promise settles when they have (Train does not wait for it).
 */
export function prestartKernelThreads(count: number, entries: readonly URL[] = []): Promise<void> {
  for (let i = idleThreads.length; i < count; i++) parkKernelThread(startKernelThread());
  return Promise.all(idleThreads.flatMap(({ worker }) => entries.map((entry) => loadOn(worker, entry)))).then(() => {});
}

/** Has an idle thread import `entry`; settles once it has tried (or has ended). */
function loadOn(worker: Worker, entry: URL): Promise<void> {
  // Kept alive meanwhile: an awaited load must not let the process exit under it.
  worker.ref();
  return new Promise<void>((resolve) => {
    const done = () => {
      worker.off("message", onMessage);
      worker.off("exit", done);
      if (idleThreads.some((t) => t.worker === worker)) worker.unref();
      resolve();
    };
    const onMessage = (message: { type: string; entry?: string }) => {
      if (message.type === "loaded" && message.entry === entry.href) done();
    };
    worker.on("message", onMessage);
    worker.on("exit", done);
    worker.postMessage({ entry: entry.href });
  });
}

/**
 * Runs `serve(data)` of the module `entry` on a kernel thread (an idle one, or a new one). The
 * promise settles when serve returns (the thread is then idle again) or fails; a thread whose
 * serve threw is ended rather than reused.
 */
export function serveOnKernelThread(entry: URL, data: Record<string, unknown>, transfer: Transferable[] = []): Promise<void> {
  const worker = takeKernelThread();
  worker.ref();
  return new Promise<void>((resolve, reject) => {
    const settle = (error: Error | null) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (message: { type: "done" } | { type: "failed"; message: string } | { type: "loaded" }) => {
      if (message.type === "done") {
        parkKernelThread(worker);
        settle(null);
      } else if (message.type === "failed") {
        void worker.terminate();
        settle(new Error(message.message));
      }
    };
    const onError = (error: Error) => settle(error);
    const onExit = (code: number) => settle(new Error(`a kernel thread exited with code ${code}`));
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ entry: entry.href, data }, transfer);
  });
}

/**
 * A worker's job loop: sleeps until the control block's sequence slot changes, then runs the job
 * for that sequence number; stops when `run` returns false.
 */
export function serveJobs(ctrl: Int32Array, seqSlot: number, run: (seq: number) => boolean): void {
  let seen = 0;
  for (;;) {
    if (!spinUntilChanged(ctrl, seqSlot, seen)) Atomics.wait(ctrl, seqSlot, seen);
    const seq = Atomics.load(ctrl, seqSlot);
    if (seq === seen) continue;
    seen = seq;
    if (!run(seq)) return;
  }
}

/**
 * Jobs of one fit follow each other within tens of microseconds (a tree's nodes, an optimiser's
 * evaluations), and a futex wake-up costs about as much, on both sides. So a thread first watches
 * the slot for this long before it sleeps.
 */
const SPIN_MS = 0.2;

/** True when ctrl[slot] stops being `value` within SPIN_MS. */
function spinUntilChanged(ctrl: Int32Array, slot: number, value: number): boolean {
  const until = performance.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(ctrl, slot) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** No claimed piece of work should take this long; if one does, its thread is presumed dead. */
const STALL_MS = 120_000;

/** Blocks the calling thread until the done slot reaches `target`; throws if nothing moves for STALL_MS. */
export function awaitDone(ctrl: Int32Array, doneSlot: number, target: number, what: string): void {
  const t0 = Date.now();
  for (;;) {
    const done = Atomics.load(ctrl, doneSlot);
    if (done >= target) return;
    if (spinUntilChanged(ctrl, doneSlot, done)) continue;
    if (Atomics.wait(ctrl, doneSlot, done, 1000) === "timed-out" && Date.now() - t0 > STALL_MS) {
      throw new Error(`a ${what} worker thread stopped responding`);
    }
  }
}
