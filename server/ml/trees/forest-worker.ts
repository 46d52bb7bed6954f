/** Worker-thread entry for random forests: grows the trees whose indices it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { CartGrower, type CartData } from "./cart";
import { growForestTree, type ForestSpec } from "./forest-tree";

export interface ForestWorkerData {
  codes: SharedArrayBuffer;
  yClass: SharedArrayBuffer | null;
  yReal: SharedArrayBuffer | null;
  nRows: number;
  nFeatures: number;
  nClasses: number;
  nBins: Int32Array;
  thresholds: Float64Array[];
  binValues: (Float64Array | null)[];
  spec: ForestSpec;
}

export interface ForestWorkerResult {
  tree: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

const init = workerData as ForestWorkerData;
const data: CartData = {
  nRows: init.nRows,
  nFeatures: init.nFeatures,
  codes: new Uint16Array(init.codes),
  nBins: init.nBins,
  thresholds: init.thresholds,
  binValues: init.binValues,
  nClasses: init.nClasses,
  yClass: init.yClass ? new Int32Array(init.yClass) : null,
  yReal: init.yReal ? new Float64Array(init.yReal) : null,
};
const grower = new CartGrower(data, init.spec.params);

parentPort!.on("message", (tree: number) => {
  const t = growForestTree(grower, data, init.spec, tree);
  const result: ForestWorkerResult = { tree, ...t };
  // The grower allocates these with plain ArrayBuffers, so they can be moved rather than copied.
  const transfer = [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.value.buffer] as ArrayBuffer[];
  parentPort!.postMessage(result, transfer);
});
