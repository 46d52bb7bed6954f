/**
 * The minibatch training loop the TensorFlow.js models share (MLP, CNN): Adam, a seeded shuffle
 * each epoch, one device read per epoch, divergence and cancellation checks between epochs.
 * Written with plain ops rather than tf.layers: model.fit's per-batch bookkeeping cost ~5 ms a step,
 * more than the arithmetic of a small network.
 */
import { MlInputError } from "./errors";
import type { Rng } from "./rng";

type Tf = typeof import("@tensorflow/tfjs");
type Tensor = import("@tensorflow/tfjs").Tensor;
type Scalar = import("@tensorflow/tfjs").Scalar;
type Variable = import("@tensorflow/tfjs").Variable;

export interface AdamLoop {
  tf: Tf;
  /** [n, features] inputs and [n, outputs] targets; the loop gathers and slices rows of both. */
  xs: Tensor;
  ys: Tensor;
  variables: Variable[];
  /** Mean loss of one batch (a scalar), built from the variables. */
  lossOf(xb: Tensor, yb: Tensor): Scalar;
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Shuffles with this (tf's shuffle uses Math.random), so a seed reproduces the run. */
  rng: Rng;
  /** After each epoch (1-based) with the mean training loss; may be async, and throwing stops training. */
  onEpoch?: (epoch: number, loss: number) => void | Promise<void>;
  /** Appended to the divergence message: what to change for this model. */
  divergenceHint: string;
}

export async function trainWithAdam(loop: AdamLoop): Promise<void> {
  const { tf, xs, ys, variables } = loop;
  const n = xs.shape[0]!;
  const optimizer = tf.train.adam(loop.learningRate);
  try {
    for (let epoch = 1; epoch <= loop.epochs; epoch++) {
      const idx = tf.tensor1d(loop.rng.permutation(n), "int32");
      const xe = tf.gather(xs, idx);
      const ye = tf.gather(ys, idx);
      const weighted: Tensor[] = [];
      try {
        for (let start = 0; start < n; start += loop.batchSize) {
          const size = Math.min(loop.batchSize, n - start);
          const cost = tf.tidy(() => {
            const xb = tf.slice(xe, [start, 0], [size, xe.shape[1]!]);
            const yb = tf.slice(ye, [start, 0], [size, ye.shape[1]!]);
            const c = optimizer.minimize(() => loop.lossOf(xb, yb), true, variables)!;
            return tf.mul(c, size);
          });
          weighted.push(cost);
        }
        // One device read per epoch, not per batch: a sync per step stalls GPU backends.
        const sum = tf.addN(weighted);
        const loss = (await sum.data())[0]! / n;
        sum.dispose();
        if (!Number.isFinite(loss)) throw new MlInputError(`training diverged at epoch ${epoch} (loss ${loss}); ${loop.divergenceHint}`);
        await loop.onEpoch?.(epoch, loss);
      } finally {
        for (const t of weighted) t.dispose();
        idx.dispose();
        xe.dispose();
        ye.dispose();
      }
      // Let the worker's event loop deliver progress and cancellation messages between epochs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    optimizer.dispose();
  }
}

/**
 * Glorot-uniform values from our seeded Rng: tf's initialisers are seeded per op and differ across
 * versions and backends; this makes a seed mean the same network everywhere.
 */
export function glorotUniform(rng: Rng, count: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = rng.uniform(-limit, limit);
  return w;
}
