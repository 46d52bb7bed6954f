/**
 * Kernel-thread job for histogram-boosting node jobs (see hgb-protocol.ts): sleeps on the control
 * block, and on each new job claims and runs chunks of features until none are left; returns when
 * the fit ends. Histogram slabs arrive on the job's own message port.
 */
import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { boostingLoops } from "./hgb-memory";
import { chunkCount, gradientChunk, resultsLength, runChunk, type ChunkContext } from "./hgb-node-job";
import { claimChunk, CMD_EXIT, CMD_RUN, CTRL, jobSlots, jobTag, readJob, SLAB_HISTOGRAMS, type HgbWorkerData, type SlabMessage } from "./hgb-protocol";
import { serveJobs } from "../worker-threads";

export function serve(init: HgbWorkerData & { port: MessagePort }): void {
  const port = init.port;
  const histograms: Float64Array[] = [];
  const memory = (): SharedArrayBuffer => init.memory.buffer as unknown as SharedArrayBuffer;

  /** Takes the slabs the main thread has posted (it posts a slab before the first job that uses it). */
  const receiveSlabsUpTo = (slot: number): void => {
    while (histograms.length <= slot) {
      const received = receiveMessageOnPort(port);
      if (!received) throw new Error(`histogram slot ${slot} is not in any slab received`);
      const { slab, at } = received.message as SlabMessage;
      if (slab * SLAB_HISTOGRAMS !== histograms.length) throw new Error(`histogram slab ${slab} arrived out of order`);
      // memory() is the memory as grown by the main thread for this slab.
      const buffer = memory();
      for (let i = 0; i < SLAB_HISTOGRAMS; i++) histograms.push(new Float64Array(buffer, at + i * init.histSize * 8, init.histSize));
    }
  };

  const ctx: ChunkContext = {
    data: {
      nRows: init.nRows,
      nFeatures: init.nFeatures,
      codes: new Uint8Array(memory(), init.at.codes, init.nRows * init.nFeatures),
      nBins: init.nBins,
      binOff: init.binOff,
      idx: new Int32Array(memory(), init.at.idx, init.nRows),
      grad: new Float32Array(memory(), init.at.grad, init.trees * init.nRows),
      hess: new Float32Array(memory(), init.at.hess, init.trees * init.nRows),
      hessianIsOne: init.hessianIsOne,
      at: init.at,
      trees: init.trees,
    },
    loops: boostingLoops(init.memory),
    hist: (slot) => histograms[slot]!,
    rootCounts: new Float64Array(init.rootCounts),
    results: new Float64Array(memory(), init.resultsAt, resultsLength(init.nFeatures)),
    nChunks: chunkCount(init.nFeatures),
    l2: init.l2,
    minLeaf: init.minLeaf,
  };
  const ctrl = new Int32Array(init.ctrl);
  const jobF = new Float64Array(init.jobF);

  port.postMessage("ready");
  serveJobs(ctrl, CTRL.SEQ, (seq) => {
    const cmd = ctrl[CTRL.CMD];
    if (cmd === CMD_EXIT) return false;
    const job = cmd === CMD_RUN ? readJob(ctrl, jobF) : null;
    const nChunks = ctrl[CTRL.NCHUNKS]!;
    const tag = jobTag(seq);
    let ready = false;
    for (let c = claimChunk(ctrl, tag, nChunks); c >= 0; c = claimChunk(ctrl, tag, nChunks)) {
      try {
        if (!job) gradientChunk(ctx, c);
        else {
          if (!ready) {
            receiveSlabsUpTo(Math.max(...jobSlots(job)));
            ready = true;
          }
          runChunk(ctx, job, c);
        }
      } catch {
        Atomics.store(ctrl, CTRL.FAILED, 1);
      }
      Atomics.add(ctrl, CTRL.DONE, 1);
      Atomics.notify(ctrl, CTRL.DONE);
    }
    return true;
  });
  port.close();
}
