/**
 * The shared-memory protocol between hgb-parallel.ts (main thread) and hgb-worker.ts.
 *
 * One control block serves all workers. For each histogram build the main thread writes the
 * job (gradient offset, row range, root flag, chunk count), resets DONE, sets NEXT to
 * (tag << CHUNK_BITS) | 0 with tag = the job's sequence number, then bumps SEQ and wakes the
 * workers. Every thread, the main one included, claims chunks of CHUNK_FEATURES features by
 * compare-and-swap on NEXT - the tag makes a claim by a thread still looking at an older job
 * fail - builds them into the shared scratch histogram and increments DONE. The main thread
 * waits only for chunks other threads have claimed: a worker that the OS has not scheduled yet
 * never holds up a build, it simply gets no chunks.
 */
export interface HgbWorkerData {
  nRows: number;
  nFeatures: number;
  nBins: Int32Array;
  binOff: Int32Array;
  codes: SharedArrayBuffer;
  idx: SharedArrayBuffer;
  grad: SharedArrayBuffer;
  hess: SharedArrayBuffer;
  /** Every thread writes its chunks' histograms here (full-histogram layout). */
  scratch: SharedArrayBuffer;
  ctrl: SharedArrayBuffer;
}

/** Control block (Int32 slots). */
/** ROOT holds the accumulateHistograms row mode (ROWS_NODE, ROWS_ROOT, ROWS_ROOT_NO_COUNT). */
export const CTRL = { SEQ: 0, CMD: 1, GOFF: 2, START: 3, END: 4, ROOT: 5, NCHUNKS: 6, NEXT: 7, DONE: 8, FAILED: 9, SIZE: 10 } as const;
export const CMD_BUILD = 1;
export const CMD_EXIT = 2;
/** Features per chunk: the histogram kernel's four-feature pass. */
export const CHUNK_FEATURES = 4;
export const CHUNK_BITS = 12;
const TAG_MASK = 0x7ffff;

export function jobTag(seq: number): number {
  return seq & TAG_MASK;
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
