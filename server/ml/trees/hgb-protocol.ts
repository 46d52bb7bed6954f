/**
 * The shared-memory protocol between hgb-threads.ts (main thread) and hgb-worker.ts.
 *
 * One control block serves all workers. For each node job the main thread writes the job
 * (writeJob), resets DONE, sets NEXT to (tag << CHUNK_BITS) | 0 with tag = the job's sequence
 * number, then bumps SEQ and wakes the workers. Every thread, the main one included, claims
 * chunks of four features by compare-and-swap on NEXT - the tag makes a claim by a thread still
 * looking at an older job fail - runs them (runChunk) and increments DONE. The main thread waits
 * only for chunks other threads have claimed: a worker that the OS has not scheduled yet never
 * holds up a job, it simply gets no chunks.
 *
 * Histograms live in slabs of the fit's shared WebAssembly memory that the main thread allocates
 * as the tree needs them; it posts each new slab's offset to every worker before the first job
 * that uses it, and a worker picks pending slabs up synchronously (receiveMessageOnPort) when a job
 * names a slot it has not seen.
 */
import { MAX_SEARCHES, type HgbData, type NodeJob } from "./hgb-node-job";

export interface HgbWorkerData {
  nRows: number;
  nFeatures: number;
  nBins: Int32Array;
  binOff: Int32Array;
  /** The fit's memory (hgb-memory.ts) and where codes, idx, grad and hess are in it. */
  memory: WebAssembly.Memory;
  at: HgbData["at"];
  /** Trees per iteration: grad and hess hold a block of nRows for each. */
  trees: number;
  rootCounts: SharedArrayBuffer;
  /** Byte offset of the per-chunk best splits in the fit's memory. */
  resultsAt: number;
  ctrl: SharedArrayBuffer;
  /** Float64 job fields (the searched nodes' totals). */
  jobF: SharedArrayBuffer;
  l2: number;
  minLeaf: number;
  histSize: number;
  hessianIsOne: boolean;
}

/** A new slab of histograms, posted to each worker. */
export interface SlabMessage {
  slab: number;
  /** Byte offset of the slab in the fit's memory. */
  at: number;
}
export const SLAB_HISTOGRAMS = 8;

/** Control block (Int32 slots). */
export const CTRL = {
  SEQ: 0,
  CMD: 1,
  NEXT: 2,
  DONE: 3,
  FAILED: 4,
  NCHUNKS: 5,
  GOFF: 6,
  START: 7,
  END: 8,
  MODE: 9,
  BUILT: 10,
  PARENT: 11,
  NSEARCH: 12,
  SEARCH_SLOT: 13,
  SIZE: 13 + MAX_SEARCHES,
} as const;
/** Float64 job slots: G, H, N of each searched node. */
export const JOBF_SIZE = 3 * MAX_SEARCHES;
export const CMD_RUN = 1;
export const CMD_EXIT = 2;
/** Gradients and hessians, in chunks of GRADIENT_ROWS rows (hgb-node-job.ts gradientChunk). */
export const CMD_GRADIENTS = 3;
export const CHUNK_BITS = 12;
const TAG_MASK = 0x7ffff;

export function jobTag(seq: number): number {
  return seq & TAG_MASK;
}

export function writeJob(ctrl: Int32Array, jobF: Float64Array, job: NodeJob): void {
  ctrl[CTRL.GOFF] = job.gOff;
  ctrl[CTRL.START] = job.start;
  ctrl[CTRL.END] = job.end;
  ctrl[CTRL.MODE] = job.mode;
  ctrl[CTRL.BUILT] = job.built;
  ctrl[CTRL.PARENT] = job.parent;
  ctrl[CTRL.NSEARCH] = job.searches.length;
  job.searches.forEach((s, t) => {
    ctrl[CTRL.SEARCH_SLOT + t] = s.slot;
    jobF[3 * t] = s.G;
    jobF[3 * t + 1] = s.H;
    jobF[3 * t + 2] = s.N;
  });
}

export function readJob(ctrl: Int32Array, jobF: Float64Array): NodeJob {
  return {
    gOff: ctrl[CTRL.GOFF]!,
    start: ctrl[CTRL.START]!,
    end: ctrl[CTRL.END]!,
    mode: ctrl[CTRL.MODE]!,
    built: ctrl[CTRL.BUILT]!,
    parent: ctrl[CTRL.PARENT]!,
    searches: Array.from({ length: ctrl[CTRL.NSEARCH]! }, (_, t) => ({ slot: ctrl[CTRL.SEARCH_SLOT + t]!, G: jobF[3 * t]!, H: jobF[3 * t + 1]!, N: jobF[3 * t + 2]! })),
  };
}

/** The slots a job reads or writes. */
export function jobSlots(job: NodeJob): number[] {
  return [job.built, job.parent, ...job.searches.map((s) => s.slot)];
}

/**
 * Claims the next chunk of the job tagged `tag`: its index, or -1 when the job has no chunk left
 * or is no longer the current one.
 */
export function claimChunk(ctrl: Int32Array, tag: number, nChunks: number): number {
  for (;;) {
    const v = Atomics.load(ctrl, CTRL.NEXT);
    const c = v & ((1 << CHUNK_BITS) - 1);
    if (v >>> CHUNK_BITS !== tag || c >= nChunks) return -1;
    if (Atomics.compareExchange(ctrl, CTRL.NEXT, v, v + 1) === v) return c;
  }
}
