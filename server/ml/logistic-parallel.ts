/**
 * The logistic-regression objective on kernel threads: the calling thread and threads - 1 others
 * claim blocks of rows (logistic-objective.ts) until none are left, each block's loss and
 * gradient land in their own slot of a shared buffer, and the calling thread adds the slots in
 * block order: the same bits as the sequential objective. fg() blocks the calling thread (L-BFGS
 * calls it synchronously) and wakes the workers through Atomics, ~10-50 us per call.
 */
import type { ObjectiveWithGradient } from "./lbfgs";
import { addPenalty, blockCount, blockLossGrad, logitScratch, parameterCount, type LogisticProblem } from "./logistic-objective";
import { KERNELS } from "./kernels";
import { awaitDone, serveOnKernelThread } from "./worker-threads";

/** Slots of the shared control block. */
export const CTRL = { SEQ: 0, CMD: 1, NEXT: 2, DONE: 3, FAILED: 4, WORKER_BLOCKS: 5, SIZE: 6 } as const;
export const CMD_RUN = 1;
export const CMD_EXIT = 2;

export interface LogisticWorkerData {
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  /** CSR indptr, indices and values, when the problem has sparse rows. */
  sparse: { indptr: SharedArrayBuffer; indices: SharedArrayBuffer; values: SharedArrayBuffer } | null;
  n: number;
  d: number;
  nClasses: number;
  fitIntercept: boolean;
  theta: SharedArrayBuffer;
  /** blocks x (parameters + 1): each block's gradient, then its loss. */
  slots: SharedArrayBuffer;
  ctrl: SharedArrayBuffer;
}

/** A block claimed by Atomics.add on NEXT; -1 once every block is taken. */
export function claimBlock(ctrl: Int32Array, blocks: number): number {
  const b = Atomics.add(ctrl, CTRL.NEXT, 1);
  return b < blocks ? b : -1;
}

/** Computes block b into its slot. */
export function runBlock(p: LogisticProblem, theta: Float64Array, slots: Float64Array, b: number, z: Float64Array): void {
  const width = parameterCount(p) + 1;
  const slot = slots.subarray(b * width, (b + 1) * width);
  slot.fill(0);
  slot[width - 1] = blockLossGrad(p, theta, b, slot, z);
}

export class ParallelLogisticObjective {
  private seq = 0;
  private closed = false;
  private readonly z: Float64Array;

  private constructor(
    private readonly problem: LogisticProblem,
    private readonly lambda: number,
    private readonly theta: Float64Array,
    private readonly slots: Float64Array,
    private readonly ctrl: Int32Array,
  ) {
    this.z = logitScratch(problem);
  }

  /**
   * Puts the rows in shared memory (a copy unless they already are) and starts the job on
   * threads - 1 kernel threads without waiting for them: blocks are claimed, so the calling thread
   * computes everything until a thread is up (at once when it is idle from an earlier fit, ~0.5 s
   * when it must load its modules first) and shares the work from then on.
   */
  static start(p: LogisticProblem, lambda: number, threads: number): ParallelLogisticObjective {
    const x = inSharedMemory(p.x, Float64Array);
    const y = inSharedMemory(p.y, Int32Array);
    const sparse = p.sparse && {
      indptr: inSharedMemory(p.sparse.indptr, Int32Array),
      indices: inSharedMemory(p.sparse.indices, Int32Array),
      values: inSharedMemory(p.sparse.values, Float64Array),
    };
    const shared: LogisticProblem = { ...p, x, y, sparse: sparse || undefined };
    const nParams = parameterCount(p);
    const theta = new Float64Array(new SharedArrayBuffer(nParams * 8));
    const slots = new Float64Array(new SharedArrayBuffer(blockCount(p.n) * (nParams + 1) * 8));
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.SIZE * 4));
    const data: LogisticWorkerData = {
      x: x.buffer as SharedArrayBuffer,
      y: y.buffer as SharedArrayBuffer,
      sparse: sparse
        ? { indptr: sparse.indptr.buffer as SharedArrayBuffer, indices: sparse.indices.buffer as SharedArrayBuffer, values: sparse.values.buffer as SharedArrayBuffer }
        : null,
      n: p.n,
      d: p.d,
      nClasses: p.nClasses,
      fitIntercept: p.fitIntercept,
      theta: theta.buffer as SharedArrayBuffer,
      slots: slots.buffer as SharedArrayBuffer,
      ctrl: ctrl.buffer as SharedArrayBuffer,
    };
    for (let t = 1; t < threads; t++) {
      // A thread that fails only leaves its share to the others; it must not fail the fit.
      serveOnKernelThread(KERNELS.logisticRegression, data as unknown as Record<string, unknown>).catch(() => {});
    }
    return new ParallelLogisticObjective(shared, lambda, theta, slots, ctrl);
  }

  readonly fg: ObjectiveWithGradient = (thetaIn, grad) => {
    const { problem, ctrl, slots, theta } = this;
    const blocks = blockCount(problem.n);
    theta.set(thetaIn);
    ctrl[CTRL.CMD] = CMD_RUN;
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.store(ctrl, CTRL.NEXT, 0);
    Atomics.store(ctrl, CTRL.SEQ, ++this.seq);
    Atomics.notify(ctrl, CTRL.SEQ);
    for (let b = claimBlock(ctrl, blocks); b >= 0; b = claimBlock(ctrl, blocks)) {
      runBlock(problem, theta, slots, b, this.z);
      Atomics.add(ctrl, CTRL.DONE, 1);
    }
    awaitDone(ctrl, CTRL.DONE, blocks, "logistic-regression");
    if (Atomics.load(ctrl, CTRL.FAILED) !== 0) throw new Error("a logistic-regression worker thread failed");
    const nParams = grad.length;
    const width = nParams + 1;
    grad.fill(0);
    let loss = 0;
    for (let b = 0; b < blocks; b++) {
      const off = b * width;
      loss += slots[off + nParams]!;
      for (let j = 0; j < nParams; j++) grad[j]! += slots[off + j]!;
    }
    return loss + addPenalty(problem, thetaIn, grad, this.lambda);
  };

  /** Blocks computed by worker threads so far (0 until one is up). */
  get workerBlocks(): number {
    return Atomics.load(this.ctrl, CTRL.WORKER_BLOCKS);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ctrl[CTRL.CMD] = CMD_EXIT;
    Atomics.store(this.ctrl, CTRL.SEQ, ++this.seq);
    Atomics.notify(this.ctrl, CTRL.SEQ);
    // The threads are not awaited: one still loading its modules sees the exit when it starts.
  }
}

/** `a` itself when it is a whole SharedArrayBuffer (threads view the whole buffer), else a shared copy. */
function inSharedMemory<T extends Float64Array | Int32Array>(a: T, Kind: { new (buffer: SharedArrayBuffer, offset: number, length: number): T }): T {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a;
  const copy = new Kind(new SharedArrayBuffer(a.byteLength), 0, a.length);
  copy.set(a as never);
  return copy;
}
