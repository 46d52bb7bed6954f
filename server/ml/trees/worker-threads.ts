/**
 * Starting TypeScript worker threads. The studio's processes run TypeScript through tsx
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

