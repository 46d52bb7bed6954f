/**
 * Runs histogram-boosting node jobs (hgb-node-job.ts) on the main thread and, when given more
 * than one thread, on worker threads that claim chunks of four features dynamically (protocol in
 * hgb-protocol.ts). Histogram building, the parent-minus-child subtraction and the split search
 * are all shared this way, and so is a classifier's gradient step, in blocks of rows; the result
 * is bit-identical to one thread's. Dynamic claiming also
 * keeps a loaded machine from turning each of a tree's ~60 jobs into a wait for a descheduled
 * thread.
 */
import { once } from "node:events";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { KERNELS } from "../kernels";
import { awaitDone, serveOnKernelThread } from "../worker-threads";
import { boostingLoops, type HgbMemory, type BoostingLoops } from "./hgb-memory";
import {
  chunkCount,
  GRADIENT_ROWS,
  gradientChunk,
  reduceChunks,
  resultsLength,
  ROWS_NODE,
  ROWS_ROOT,
  ROWS_ROOT_NO_COUNT,
  runChunk,
  type ChunkContext,
  type HgbData,
  type NodeJob,
  type Split,
} from "./hgb-node-job";
import { CHUNK_BITS, claimChunk, CMD_EXIT, CMD_GRADIENTS, CMD_RUN, CTRL, JOBF_SIZE, jobTag, SLAB_HISTOGRAMS, writeJob, type HgbWorkerData, type SlabMessage } from "./hgb-protocol";

/**
 * Jobs with less work than this run on the main thread alone. Work counts rows x features for the
 * histograms, plus every bin once for zeroing and subtracting and once per searched node: a small
 * node's job is mostly the per-bin part (~12k bins for 50 features), which is worth sharing.
 */
const PARALLEL_MIN_WORK = 20_000;

/**
 * Histogram storage by slot number, in slabs of SLAB_HISTOGRAMS histograms allocated in the fit's
 * memory on demand and reused: a tree holds one histogram per splittable leaf, and the next tree
 * reuses them.
 */
export class HistogramSlots {
  private readonly views: Float64Array[] = [];
  private readonly unused: number[] = [];
  constructor(
    private readonly histSize: number,
    private readonly memory: HgbMemory,
    private readonly onSlab: (message: SlabMessage) => void = () => {},
  ) {}

  take(): number {
    const slot = this.unused.pop();
    if (slot !== undefined) return slot;
    const slab = this.views.length / SLAB_HISTOGRAMS;
    const bytes = this.histSize * 8;
    const at = this.memory.alloc(SLAB_HISTOGRAMS * bytes);
    const buffer = this.memory.buffer;
    for (let i = 0; i < SLAB_HISTOGRAMS; i++) this.views.push(new Float64Array(buffer, at + i * bytes, this.histSize));
    this.onSlab({ slab, at });
    for (let i = SLAB_HISTOGRAMS - 1; i > 0; i--) this.unused.push(slab * SLAB_HISTOGRAMS + i);
    return slab * SLAB_HISTOGRAMS;
  }

  release(slot: number): void {
    this.unused.push(slot);
  }

  view(slot: number): Float64Array {
    return this.views[slot]!;
  }
}

export interface SplitRules {
  l2: number;
  minLeaf: number;
}

export class NodeJobRunner {
  readonly slots: HistogramSlots;
  /** The WebAssembly loops over the fit's memory, for this (the main) thread. */
  readonly loops: BoostingLoops;
  private readonly ctx: ChunkContext;
  private readonly ctrl: Int32Array;
  private readonly jobF: Float64Array;
  private readonly totalBins: number;
  private rootCountsSaved = false;
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly data: HgbData,
    rules: SplitRules,
    /** One per kernel thread: the main thread's end of its job's message port. */
    private readonly ports: MessagePort[],
    buffers: { rootCounts: ArrayBufferLike; resultsAt: number; ctrl: ArrayBufferLike; jobF: ArrayBufferLike },
    memory: HgbMemory,
  ) {
    const histSize = data.binOff[data.nFeatures]! * 3;
    this.totalBins = histSize / 3;
    this.slots = new HistogramSlots(histSize, memory, (message) => {
      for (const port of ports) port.postMessage(message);
    });
    this.ctrl = new Int32Array(buffers.ctrl);
    this.jobF = new Float64Array(buffers.jobF);
    this.loops = boostingLoops(memory.memory);
    this.ctx = {
      data,
      loops: this.loops,
      hist: (slot) => this.slots.view(slot),
      rootCounts: new Float64Array(buffers.rootCounts),
      results: new Float64Array(memory.buffer, buffers.resultsAt, resultsLength(data.nFeatures)),
      nChunks: chunkCount(data.nFeatures),
      l2: rules.l2,
      minLeaf: rules.minLeaf,
    };
  }

  /**
   * With threads > 1, runs the jobs on threads - 1 kernel threads too. `data`'s codes, idx, grad
   * and hess live in `memory`, where the histograms go too.
   */
  static async start(data: HgbData, rules: SplitRules, threads: number, memory: HgbMemory): Promise<NodeJobRunner> {
    const shared = threads > 1;
    const alloc = (bytes: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const nChunks = chunkCount(data.nFeatures);
    if (nChunks >= 1 << CHUNK_BITS) throw new Error(`gradient boosting supports at most ${(1 << CHUNK_BITS) * 4 - 1} features`);
    const histSize = data.binOff[data.nFeatures]! * 3;
    const buffers = {
      rootCounts: alloc((histSize / 3) * 8),
      resultsAt: memory.alloc(resultsLength(data.nFeatures) * 8),
      ctrl: alloc(CTRL.SIZE * 4),
      jobF: alloc(JOBF_SIZE * 8),
    };
    if (!shared) return new NodeJobRunner(data, rules, [], buffers, memory);

    const wd: HgbWorkerData = {
      nRows: data.nRows,
      nFeatures: data.nFeatures,
      nBins: data.nBins,
      binOff: data.binOff,
      memory: memory.memory,
      at: data.at,
      trees: data.trees,
      rootCounts: buffers.rootCounts as SharedArrayBuffer,
      resultsAt: buffers.resultsAt,
      ctrl: buffers.ctrl as SharedArrayBuffer,
      jobF: buffers.jobF as SharedArrayBuffer,
      l2: rules.l2,
      minLeaf: rules.minLeaf,
      histSize,
      hessianIsOne: data.hessianIsOne,
    };
    const ports: MessagePort[] = [];
    const threadsDone: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      const done = serveOnKernelThread(KERNELS.histogramBoosting, { ...wd, port: port2 }, [port2]);
      // A thread that fails after it is ready shows up as a failed job (CTRL.FAILED), not here.
      done.catch(() => {});
      threadsDone.push(done);
    }
    const stop = () => {
      const ctrl = new Int32Array(buffers.ctrl);
      ctrl[CTRL.CMD] = CMD_EXIT;
      Atomics.add(ctrl, CTRL.SEQ, 1);
      Atomics.notify(ctrl, CTRL.SEQ);
      for (const port of ports) port.close();
    };
    try {
      await Promise.all(
        ports.map(async (port, t) => {
          const [msg] = (await Promise.race([once(port, "message"), threadsDone[t]!.then(() => ["ended"])])) as unknown[];
          if (msg !== "ready") throw new Error(`histogram thread sent ${String(msg)} instead of "ready"`);
        }),
      );
    } catch (error) {
      stop();
      throw error;
    }
    return new NodeJobRunner(data, rules, ports, buffers, memory);
  }

  /** The row mode of the next root job: with counts the first time, copied from then on. */
  rootMode(): number {
    return this.rootCountsSaved ? ROWS_ROOT_NO_COUNT : ROWS_ROOT;
  }

  /** Runs a job to the end; best(t) then gives the best split of its t-th searched node. */
  run(job: NodeJob): void {
    const { ctx, ctrl, data } = this;
    const nChunks = ctx.nChunks;
    const rows = job.mode === ROWS_NODE ? job.end - job.start : data.nRows;
    const work = rows * data.nFeatures + (1 + job.searches.length) * this.totalBins;
    if (this.ports.length === 0 || (job.mode === ROWS_NODE && work < PARALLEL_MIN_WORK)) {
      for (let c = 0; c < nChunks; c++) runChunk(ctx, job, c);
    } else {
      writeJob(ctrl, this.jobF, job);
      this.share(CMD_RUN, nChunks, (c) => runChunk(ctx, job, c));
    }
    if (job.mode === ROWS_ROOT) this.rootCountsSaved = true;
  }

  /** A classifier's gradients and hessians at the raw scores in the memory (data.at.raw), in blocks of rows. */
  gradients(): void {
    const nChunks = Math.ceil(this.data.nRows / GRADIENT_ROWS);
    if (this.ports.length === 0 || nChunks === 1) {
      for (let c = 0; c < nChunks; c++) gradientChunk(this.ctx, c);
    } else {
      this.share(CMD_GRADIENTS, nChunks, (c) => gradientChunk(this.ctx, c));
    }
  }

  /** Posts a job of nChunks chunks (its fields written), runs chunks until none is left, waits for the rest. */
  private share(cmd: number, nChunks: number, runLocal: (c: number) => void): void {
    const { ctrl } = this;
    const seq = ++this.seq;
    const tag = jobTag(seq);
    ctrl[CTRL.CMD] = cmd;
    ctrl[CTRL.NCHUNKS] = nChunks;
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.store(ctrl, CTRL.NEXT, tag << CHUNK_BITS);
    Atomics.store(ctrl, CTRL.SEQ, seq);
    Atomics.notify(ctrl, CTRL.SEQ);
    for (let c = claimChunk(ctrl, tag, nChunks); c >= 0; c = claimChunk(ctrl, tag, nChunks)) {
      runLocal(c);
      Atomics.add(ctrl, CTRL.DONE, 1);
    }
    awaitDone(ctrl, CTRL.DONE, nChunks, "gradient boosting");
    if (Atomics.load(ctrl, CTRL.FAILED) !== 0) throw new Error("a gradient-boosting kernel thread failed");
  }

  best(t: number): Split | null {
    return reduceChunks(this.ctx.results, this.ctx.nChunks, t);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ports.length === 0) return;
    const ctrl = this.ctrl;
    ctrl[CTRL.CMD] = CMD_EXIT;
    Atomics.store(ctrl, CTRL.SEQ, ++this.seq);
    Atomics.notify(ctrl, CTRL.SEQ);
    // The threads park themselves once they see the exit; nothing to wait for.
    for (const port of this.ports) port.close();
  }
}
