/**
 * A worker process: runs one stage at a time for the studio. Started by the pool with
 * `node --import tsx`; bound to one device through CUDA_VISIBLE_DEVICES. If a stage crashes or
 * hangs, only this process dies; the pool reports the node as failed and starts a new worker.
 */
import { ArtifactStore } from "../artifacts/store";
import { getStage } from "../stages";
import { loadStagePlugins } from "../stages/plugins";
import { StageError } from "../stages/types";
import { createStageContext } from "./stage-context";
import type { FromWorker, JobSpec, ToWorker } from "./protocol";
import type { NodeError } from "../api-types";

const dataDir = process.env.STUDIO_DATA_DIR;
const fileRoots = JSON.parse(process.env.STUDIO_FILE_ROOTS_JSON ?? "[]") as string[];
if (!dataDir || !process.send) {
  console.error("worker-entry must be started by the studio's worker pool");
  process.exit(2);
}
const store = new ArtifactStore(dataDir);
const deviceSpec = process.env.STUDIO_WORKER_DEVICE ?? "cpu";
const device = deviceSpec.startsWith("gpu:")
  ? ({ kind: "gpu", index: Number(deviceSpec.slice(4)) } as const)
  : ({ kind: "cpu" } as const);

function send(message: FromWorker): void {
  process.send!(message);
}

function toNodeError(error: unknown): NodeError {
  if (error instanceof StageError) {
    return {
      message: error.message,
      field: error.field,
      line: error.line,
      row: error.row,
      column: error.column,
      hint: error.hint,
    };
  }
  const err = error as Error;
  const message = err?.message || String(error);
  // Unexpected errors keep the top of the stack: it is what a developer needs to fix the stage.
  const where = err?.stack?.split("\n").slice(1, 4).join("\n");
  return { message, hint: where ? `Unexpected error in the stage:\n${where}` : undefined };
}

async function runJob(job: JobSpec): Promise<void> {
  const stage = getStage(job.stageId);
  if (!stage) {
    send({ type: "failed", jobId: job.jobId, error: { message: `Unknown stage "${job.stageId}" in this worker.` } });
    return;
  }
  try {
    const params = stage.params.parse(job.params);
    const ctx = createStageContext({
      store,
      stage,
      params,
      inputs: job.inputs,
      nodeId: job.nodeId,
      fileRoots,
      device,
      emit: (event) => {
        if (event.type === "progress") send({ type: "progress", jobId: job.jobId, fraction: event.fraction, message: event.message });
        else if (event.type === "log") send({ type: "log", jobId: job.jobId, level: event.level, message: event.message });
        else send({ type: "backend", jobId: job.jobId, name: event.name });
      },
    });
    const outputs = await stage.run(ctx);
    send({ type: "done", jobId: job.jobId, outputs });
  } catch (error) {
    const outputs = error instanceof StageError ? error.outputs : undefined;
    send({ type: "failed", jobId: job.jobId, error: toNodeError(error), outputs });
  }
}

let queue = Promise.resolve();
process.on("message", (message: ToWorker) => {
  if (message.type === "shutdown") process.exit(0);
  if (message.type === "run") queue = queue.then(() => runJob(message.job));
});
// The studio going away (even by SIGKILL) closes the IPC channel: exit rather than linger.
process.on("disconnect", () => process.exit(0));
loadStagePlugins().then(
  () => send({ type: "ready", pid: process.pid }),
  (error) => {
    console.error(`worker: could not load stage modules: ${(error as Error).message}`);
    process.exit(2);
  },
);
