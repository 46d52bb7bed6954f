/**
 * A tuning/cross-validation thread: gets the dataset once (shared memory, no copy), then fits and
 * scores one fold per message and posts the outcome back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runFoldJob, type CvData, type FoldJob } from "../models/cross-validation";
import type { SharedCvData } from "./fold-runner";

const shared = workerData.data as SharedCvData;
const data: CvData = {
  X: { data: new Float64Array(shared.X), rows: shared.rows, cols: shared.cols },
  y: shared.yKind === "int" ? new Int32Array(shared.y) : new Float64Array(shared.y),
  task: shared.task,
  classNames: shared.classNames,
  featureNames: shared.featureNames,
  foldOf: new Int32Array(shared.foldOf),
};

parentPort!.on("message", async (job: FoldJob) => {
  try {
    parentPort!.postMessage(await runFoldJob(data, job));
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    parentPort!.postMessage({ id: job.id, fold: job.fold, ok: false, error: `internal error: ${message}`, seconds: 0, internal: true });
  }
});
parentPort!.postMessage({ ready: true });
