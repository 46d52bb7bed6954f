/**
 * Worker threads for the model library (forest trees, histogram building, the logistic-regression
 * objective, cross-validation folds): starting them, and the Atomics handshake the shared-memory
 * kernels use. Starting TypeScript worker threads: The studio's processes run TypeScript through tsx
 * (`node --import tsx`), vitest runs it through vite, and neither hook reaches a new worker
 * thread by itself in every case, so every worker starts at ts-worker.mjs, which imports the
 * real entry and registers tsx only when the host has not.
 */
import { Worker } from "node:worker_threads";

const SHIM = new URL("./ts-worker.mjs", import.meta.url);

/** `entry` is a module URL relative to this directory's files, e.g. new URL("./forest-worker.ts", import.meta.url). */
export function startTsWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  return new Worker(SHIM, { workerData: { ...workerData, entry: entry.href } });
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
