/**
 * Kernel-thread job for the parallel logistic-regression objective (logistic-parallel.ts): sleeps
 * on the control block and, on each evaluation, claims and computes blocks of rows until none are
 * left; returns when the fit ends.
 */
import { blockCount, logitScratch, type LogisticProblem } from "./logistic-objective";
import { claimBlock, CMD_EXIT, CTRL, runBlock, type LogisticWorkerData } from "./logistic-parallel";
import { serveJobs } from "./worker-threads";

export function serve(init: LogisticWorkerData): void {
  const problem: LogisticProblem = {
    x: new Float64Array(init.x),
    y: new Int32Array(init.y),
    sparse: init.sparse
      ? { indptr: new Int32Array(init.sparse.indptr), indices: new Int32Array(init.sparse.indices), values: new Float64Array(init.sparse.values) }
      : undefined,
    n: init.n,
    d: init.d,
    nClasses: init.nClasses,
    fitIntercept: init.fitIntercept,
  };
  const theta = new Float64Array(init.theta);
  const slots = new Float64Array(init.slots);
  const ctrl = new Int32Array(init.ctrl);
  const z = logitScratch(problem);
  const blocks = blockCount(problem.n);
  serveJobs(ctrl, CTRL.SEQ, () => {
    if (ctrl[CTRL.CMD] === CMD_EXIT) return false;
    for (let b = claimBlock(ctrl, blocks); b >= 0; b = claimBlock(ctrl, blocks)) {
      try {
        runBlock(problem, theta, slots, b, z);
      } catch {
        Atomics.store(ctrl, CTRL.FAILED, 1);
      }
      Atomics.add(ctrl, CTRL.WORKER_BLOCKS, 1);
      Atomics.add(ctrl, CTRL.DONE, 1);
      Atomics.notify(ctrl, CTRL.DONE);
    }
    return true;
  });
}
