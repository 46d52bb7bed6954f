/**
 * Histogram building shared between the main thread and worker threads, a chunk of four
 * features at a time, claimed dynamically (protocol in hgb-protocol.ts). Every feature's sums are
 * computed by one thread in row order, so the result is bit-identical to the sequential builder
 * whichever thread built which chunk. Dynamic claiming also keeps a loaded machine from turning
 * each of a tree's ~60 builds into a wait for a descheduled thread.
 */
import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import { accumulateHistograms, buildHistograms, gatherGradients, RootCounts, ROWS_NODE, type HgbData, type HistogramBuilder } from "./hgb-grower";
import { CHUNK_BITS, CHUNK_FEATURES, claimChunk, CMD_BUILD, CMD_EXIT, CTRL, jobTag, type HgbWorkerData } from "./hgb-protocol";
import { awaitDone, startTsWorker } from "../worker-threads";

/** Nodes with fewer rows x features than this are built on the main thread alone (waking a worker costs ~10-50 us). */
const PARALLEL_MIN_WORK = 200_000;

export class ParallelHistogramBuilder implements HistogramBuilder {
  private readonly gh: Float64Array;
  private readonly ctrl: Int32Array;
  private readonly scratch: Float64Array;
  private readonly nChunks: number;
  private readonly rootCounts = new RootCounts();
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly data: HgbData,
    private readonly workers: Worker[],
    ctrl: SharedArrayBuffer,
    scratch: SharedArrayBuffer,
  ) {
    this.gh = new Float64Array(2 * data.nRows);
    this.ctrl = new Int32Array(ctrl);
    this.scratch = new Float64Array(scratch);
    this.nChunks = Math.ceil(data.nFeatures / CHUNK_FEATURES);
  }

  /** Starts threads - 1 workers. `data`'s codes, idx, grad and hess must be views over SharedArrayBuffers. */
  static async start(data: HgbData, threads: number): Promise<ParallelHistogramBuilder> {
    const ctrl = new SharedArrayBuffer(CTRL.SIZE * 4);
    const scratch = new SharedArrayBuffer(data.binOff[data.nFeatures]! * 3 * 8);
    const wd: HgbWorkerData = {
      nRows: data.nRows,
      nFeatures: data.nFeatures,
      nBins: data.nBins,
      binOff: data.binOff,
      codes: sharedBuffer(data.codes),
      idx: sharedBuffer(data.idx),
      grad: sharedBuffer(data.grad),
      hess: sharedBuffer(data.hess),
      scratch,
      ctrl,
    };
    const workers: Worker[] = [];
    try {
      for (let t = 1; t < threads; t++) workers.push(startTsWorker(new URL("./hgb-worker.ts", import.meta.url), wd as unknown as Record<string, unknown>));
      await Promise.all(
        workers.map(async (worker) => {
          const [msg] = (await Promise.race([once(worker, "message"), once(worker, "error").then(([e]) => Promise.reject(e as Error))])) as unknown[];
          if (msg !== "ready") throw new Error(`histogram worker sent ${String(msg)} instead of "ready"`);
        }),
      );
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new ParallelHistogramBuilder(data, workers, ctrl, scratch);
  }

  build(gOff: number, start: number, end: number, isRoot: boolean, out: Float64Array): void {
    const { data, ctrl, nChunks } = this;
    if (!isRoot && (this.workers.length === 0 || (end - start) * data.nFeatures < PARALLEL_MIN_WORK)) {
      buildHistograms(data, gOff, 0, data.nFeatures, start, end, false, out, this.gh);
      return;
    }
    const mode = isRoot ? this.rootCounts.rootMode() : ROWS_NODE;
    const seq = ++this.seq;
    const tag = jobTag(seq);
    ctrl[CTRL.CMD] = CMD_BUILD;
    ctrl[CTRL.GOFF] = gOff;
    ctrl[CTRL.START] = start;
    ctrl[CTRL.END] = end;
    ctrl[CTRL.ROOT] = mode;
    ctrl[CTRL.NCHUNKS] = nChunks;
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.store(ctrl, CTRL.NEXT, tag << CHUNK_BITS);
    Atomics.store(ctrl, CTRL.SEQ, seq);
    Atomics.notify(ctrl, CTRL.SEQ);

    gatherGradients(data, gOff, start, end, isRoot, this.gh);
    for (let c = claimChunk(ctrl, tag, nChunks); c >= 0; c = claimChunk(ctrl, tag, nChunks)) {
      const f = c * CHUNK_FEATURES;
      accumulateHistograms(data, f, Math.min(f + CHUNK_FEATURES, data.nFeatures), start, end, mode, this.scratch, this.gh);
      Atomics.add(ctrl, CTRL.DONE, 1);
    }
    awaitDone(ctrl, CTRL.DONE, nChunks, "histogram");
    if (Atomics.load(ctrl, CTRL.FAILED) !== 0) throw new Error("a histogram worker thread failed");
    out.set(this.scratch);
    if (isRoot) this.rootCounts.complete(out);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ctrl = this.ctrl;
    ctrl[CTRL.CMD] = CMD_EXIT;
    Atomics.store(ctrl, CTRL.SEQ, ++this.seq);
    Atomics.notify(ctrl, CTRL.SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function sharedBuffer(a: ArrayBufferView): SharedArrayBuffer {
  if (!(a.buffer instanceof SharedArrayBuffer) || a.byteOffset !== 0) {
    throw new Error("parallel histogram building needs arrays over a SharedArrayBuffer at offset 0");
  }
  return a.buffer;
}
