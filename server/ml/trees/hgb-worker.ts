/**
 * Worker-thread entry for parallel histogram building (see hgb-protocol.ts): sleeps on the
 * control block, and on each new job claims and builds feature chunks until none are left.
 */
import { parentPort, workerData } from "node:worker_threads";
import { accumulateHistograms, gatherGradients, ROWS_NODE, type HgbData } from "./hgb-grower";
import { CHUNK_FEATURES, claimChunk, CMD_EXIT, CTRL, jobTag, type HgbWorkerData } from "./hgb-protocol";
import { serveJobs } from "../worker-threads";

const init = workerData as HgbWorkerData;
const data: HgbData = {
  nRows: init.nRows,
  nFeatures: init.nFeatures,
  codes: new Uint8Array(init.codes),
  nBins: init.nBins,
  binOff: init.binOff,
  idx: new Int32Array(init.idx),
  grad: new Float32Array(init.grad),
  hess: new Float32Array(init.hess),
};
const out = new Float64Array(init.scratch);
const ctrl = new Int32Array(init.ctrl);
const gh = new Float64Array(2 * init.nRows);
parentPort!.postMessage("ready");
serveJobs(ctrl, CTRL.SEQ, (seq) => {
  if (ctrl[CTRL.CMD] === CMD_EXIT) return false;
  const gOff = ctrl[CTRL.GOFF]!;
  const start = ctrl[CTRL.START]!;
  const end = ctrl[CTRL.END]!;
  const mode = ctrl[CTRL.ROOT]!;
  const isRoot = mode !== ROWS_NODE;
  const nChunks = ctrl[CTRL.NCHUNKS]!;
  const tag = jobTag(seq);
  let gathered = false;
  for (let c = claimChunk(ctrl, tag, nChunks); c >= 0; c = claimChunk(ctrl, tag, nChunks)) {
    try {
      if (!gathered) {
        gatherGradients(data, gOff, start, end, isRoot, gh);
        gathered = true;
      }
      const f = c * CHUNK_FEATURES;
      accumulateHistograms(data, f, Math.min(f + CHUNK_FEATURES, data.nFeatures), start, end, mode, out, gh);
    } catch {
      Atomics.store(ctrl, CTRL.FAILED, 1);
    }
    Atomics.add(ctrl, CTRL.DONE, 1);
    Atomics.notify(ctrl, CTRL.DONE);
  }
  return true;
});
