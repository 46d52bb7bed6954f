/**
 * CNN training on TensorFlow.js (pass the selection from server/workers/tf-backend.ts). Prediction
 * does not need tf: cnn-predict.ts replays the saved weights.
 */
import { blockShapes, CNN_KERNEL, type CnnConvLayer, type CnnState } from "./cnn-predict";
import { MlInputError } from "./errors";
import type { ImageShape } from "./images/pixel-columns";
import { validateLabels } from "./labels";
import { assertFinite, type Matrix } from "./matrix";
import type { MlpLayerState } from "./mlp-predict";
import type { TfRuntime } from "./mlp";
import { Rng } from "./rng";
import { glorotUniform, trainWithAdam } from "./tf-training";

export { predictProbaCnn, type CnnState } from "./cnn-predict";

type Tf = typeof import("@tensorflow/tfjs");
type Tensor = import("@tensorflow/tfjs").Tensor;
type Tensor4D = import("@tensorflow/tfjs").Tensor4D;
type Variable = import("@tensorflow/tfjs").Variable;

export interface CnnParams {
  /** Filters of each conv block (each block halves the image). */
  convFilters: number[];
  denseUnits: number;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

export interface CnnFitOptions {
  onEpoch?: (epoch: number, loss: number) => void | Promise<void>;
  featureNames?: readonly string[];
  classNames?: readonly string[];
}

interface CnnVariables {
  conv: { W: Variable; b: Variable }[];
  dense: { W: Variable; b: Variable }[];
}

/**
 * One conv block on tf tensors: 3x3 "same" convolution, ReLU, 2x2 max pool. With `im2col` the
 * convolution is nine shifted slices concatenated along channels and one matMul with the HWIO
 * kernel seen as [9 * in, filters], and pooling is a max over a reshaped 2x2 window: the same
 * arithmetic from ops that every backend can differentiate (tfjs-backend-wasm has no kernel for
 * conv2d's or maxPool's gradient), and matMul is the fastest kernel the wasm and cpu backends have.
 */
function convBlockTf(tf: Tf, h: Tensor4D, W: Tensor, b: Tensor, im2col: boolean): Tensor4D {
  if (!im2col) return tf.maxPool(tf.relu(tf.add(tf.conv2d(h, W as Tensor4D, 1, "same"), b)) as Tensor4D, 2, 2, "valid");
  const [n, height, width, inC] = h.shape;
  const filters = W.shape[3]!;
  const padded = tf.pad(h, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const patches: Tensor[] = [];
  for (let ky = 0; ky < CNN_KERNEL; ky++) for (let kx = 0; kx < CNN_KERNEL; kx++) patches.push(tf.slice(padded, [0, ky, kx, 0], [n, height, width, inC]));
  const cols = tf.reshape(tf.concat(patches, 3), [n * height * width, CNN_KERNEL * CNN_KERNEL * inC]);
  const conv = tf.relu(tf.add(tf.matMul(cols, tf.reshape(W, [CNN_KERNEL * CNN_KERNEL * inC, filters])), b));
  const ph = Math.floor(height / 2);
  const pw = Math.floor(width / 2);
  let maps = tf.reshape(conv, [n, height, width, filters]);
  if (height !== ph * 2 || width !== pw * 2) maps = tf.slice(maps, [0, 0, 0, 0], [n, ph * 2, pw * 2, filters]);
  return tf.max(tf.reshape(maps, [n, ph, 2, pw, 2, filters]), [2, 4]) as Tensor4D;
}

function forwardTf(tf: Tf, x: Tensor, image: ImageShape, v: CnnVariables, im2col: boolean): Tensor {
  let h = tf.reshape(x, [-1, image.height, image.width, image.channels]) as Tensor4D;
  for (const { W, b } of v.conv) h = convBlockTf(tf, h, W, b, im2col);
  let z: Tensor = tf.reshape(h, [h.shape[0], -1]);
  v.dense.forEach(({ W, b }, i) => {
    z = tf.add(tf.matMul(z, W), b);
    if (i < v.dense.length - 1) z = tf.relu(z);
  });
  return z;
}

/** Native TensorFlow has fast conv kernels with gradients; the JS and wasm backends get im2col. */
export function usesIm2col(backend: string): boolean {
  return !backend.startsWith("tensorflow");
}

export async function fitCnnClassifier(
  runtime: TfRuntime,
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  image: ImageShape,
  p: CnnParams,
  options: CnnFitOptions = {},
): Promise<CnnState> {
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} labels; they must match`);
  if (X.rows < 1) throw new MlInputError("training data is empty");
  if (X.cols !== image.height * image.width * image.channels) throw new MlInputError(`expected ${image.height * image.width * image.channels} pixel columns, got ${X.cols}`);
  assertFinite(X, options.featureNames);
  validateLabels(y, nClasses, "training labels");
  if (y.every((v) => v === y[0])) {
    throw new MlInputError(`training data has a single class ('${options.classNames?.[y[0]!] ?? y[0]}'); a classifier needs at least two`);
  }
  const shapes = blockShapes(image, p.convFilters.map((filters) => ({ filters })));
  const last = shapes[shapes.length - 1]!;
  const flat = last.height * last.width * last.channels;

  const { tf } = runtime;
  const im2col = usesIm2col(runtime.backend);
  const rng = new Rng(p.seed);
  const vars: CnnVariables = { conv: [], dense: [] };
  const oneHot = new Float32Array(y.length * nClasses);
  for (let i = 0; i < y.length; i++) oneHot[i * nClasses + y[i]!] = 1;
  const xs = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
  const ys = tf.tensor2d(oneHot, [y.length, nClasses]);
  try {
    let inC = image.channels;
    for (const filters of p.convFilters) {
      const k = CNN_KERNEL * CNN_KERNEL;
      const w = glorotUniform(rng, k * inC * filters, k * inC, k * filters);
      vars.conv.push(tf.tidy(() => ({ W: tf.variable(tf.tensor4d(w, [CNN_KERNEL, CNN_KERNEL, inC, filters])), b: tf.variable(tf.zeros([filters])) })));
      inC = filters;
    }
    let fanIn = flat;
    for (const fanOut of [p.denseUnits, nClasses]) {
      const w = glorotUniform(rng, fanIn * fanOut, fanIn, fanOut);
      vars.dense.push(tf.tidy(() => ({ W: tf.variable(tf.tensor2d(w, [fanIn, fanOut])), b: tf.variable(tf.zeros([fanOut])) })));
      fanIn = fanOut;
    }
    await trainWithAdam({
      tf,
      xs,
      ys,
      variables: [...vars.conv, ...vars.dense].flatMap((v) => [v.W, v.b]),
      lossOf: (xb, yb) => tf.losses.softmaxCrossEntropy(yb, forwardTf(tf, xb, image, vars, im2col)) as import("@tensorflow/tfjs").Scalar,
      learningRate: p.learningRate,
      epochs: p.epochs,
      batchSize: p.batchSize,
      rng,
      onEpoch: options.onEpoch,
      divergenceHint: "lower the learning rate, or scale the pixels to 0..1 in Load images",
    });
    let inChannels = image.channels;
    const conv: CnnConvLayer[] = vars.conv.map((v, i) => {
      const layer: CnnConvLayer = { weights: Array.from(v.W.dataSync()), bias: Array.from(v.b.dataSync()), inChannels, filters: p.convFilters[i]! };
      inChannels = layer.filters;
      return layer;
    });
    let inDim = flat;
    const dense: MlpLayerState[] = vars.dense.map((v) => {
      const outDim = v.b.shape[0]!;
      const layer: MlpLayerState = { weights: Array.from(v.W.dataSync()), shape: [inDim, outDim], bias: Array.from(v.b.dataSync()) };
      inDim = outDim;
      return layer;
    });
    return { kind: "cnn", image, conv, dense, nClasses, backend: runtime.backend };
  } finally {
    xs.dispose();
    ys.dispose();
    for (const v of [...vars.conv, ...vars.dense]) {
      v.W.dispose();
      v.b.dispose();
    }
  }
}
