/**
 * A trained CNN as plain JSON, and its forward pass in plain JavaScript (float64 over the stored
 * float32 weights), so Evaluate, Predict, serving and threads never load TensorFlow. The network:
 * per conv block a 3x3 convolution ("same" padding, stride 1), ReLU and 2x2 max pooling (stride 2,
 * floor); then the flattened NHWC features go through a ReLU dense layer and a softmax layer.
 * The dense head is an MLP (mlp-predict.ts), replayed by the same code.
 */
import { MlInputError } from "./errors";
import type { ImageShape } from "./images/pixel-columns";
import { assertFinite, type Matrix } from "./matrix";
import { predictProbaMlp, type MlpLayerState, type MlpState } from "./mlp-predict";

export const CNN_KERNEL = 3;

export interface CnnConvLayer {
  /** [kernel, kernel, inChannels, filters] row-major: tf's conv2d filter layout (HWIO). */
  weights: number[];
  bias: number[];
  inChannels: number;
  filters: number;
}

export interface CnnState {
  kind: "cnn";
  image: ImageShape;
  conv: CnnConvLayer[];
  /** Hidden ReLU layer(s) then the softmax layer, on the flattened output of the last block. */
  dense: MlpLayerState[];
  nClasses: number;
  /** The tf backend that trained it (for the run view); prediction does not depend on it. */
  backend: string;
}

/** Height, width and channels after each conv block (pooling floors odd sizes, as tf's 'valid' does). */
export function blockShapes(image: ImageShape, conv: readonly { filters: number }[]): ImageShape[] {
  const shapes: ImageShape[] = [];
  let { height, width } = image;
  for (const layer of conv) {
    height = Math.floor(height / 2);
    width = Math.floor(width / 2);
    if (height < 1 || width < 1) {
      throw new MlInputError(
        `a ${image.height}x${image.width} image is too small for ${conv.length} conv blocks (each halves it); use fewer conv layers or larger images`,
      );
    }
    shapes.push({ height, width, channels: layer.filters });
  }
  return shapes;
}

/** One image (NHWC, one row of X) through a conv block: conv 3x3 same + bias, ReLU, 2x2 max pool. */
function convBlock(input: Float64Array, h: number, w: number, layer: CnnConvLayer, W: Float64Array): { out: Float64Array; h: number; w: number } {
  const inC = layer.inChannels;
  const F = layer.filters;
  const conv = new Float64Array(h * w * F);
  const half = (CNN_KERNEL - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * F;
      for (let f = 0; f < F; f++) conv[o + f] = layer.bias[f]!;
      for (let ky = 0; ky < CNN_KERNEL; ky++) {
        const sy = y + ky - half;
        if (sy < 0 || sy >= h) continue;
        for (let kx = 0; kx < CNN_KERNEL; kx++) {
          const sx = x + kx - half;
          if (sx < 0 || sx >= w) continue;
          const io = (sy * w + sx) * inC;
          const wo0 = (ky * CNN_KERNEL + kx) * inC * F;
          for (let c = 0; c < inC; c++) {
            const v = input[io + c]!;
            if (v === 0) continue;
            const wo = wo0 + c * F;
            for (let f = 0; f < F; f++) conv[o + f]! += v * W[wo + f]!;
          }
        }
      }
    }
  }
  const ph = Math.floor(h / 2);
  const pw = Math.floor(w / 2);
  const out = new Float64Array(ph * pw * F);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      for (let f = 0; f < F; f++) {
        let m = 0; // ReLU then max: the max of ReLUs is the ReLU of the max, floored at 0.
        for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
          const v = conv[((2 * y + dy) * w + (2 * x + dx)) * F + f]!;
          if (v > m) m = v;
        }
        out[(y * pw + x) * F + f] = m;
      }
    }
  }
  return { out, h: ph, w: pw };
}

/** The flattened output of the last conv block for each row of X (the dense head's input). */
export function cnnFeatures(state: CnnState, X: Matrix): Matrix {
  const { height, width, channels } = state.image;
  const nIn = height * width * channels;
  if (X.cols !== nIn) {
    throw new MlInputError(`the CNN was trained on ${height}x${width}x${channels} images (${nIn} pixel columns) but the input has ${X.cols} columns; load the images at the same size and colour`);
  }
  assertFinite(X);
  const shapes = blockShapes(state.image, state.conv);
  const last = shapes[shapes.length - 1]!;
  const nOut = last.height * last.width * last.channels;
  const weights = state.conv.map((l) => Float64Array.from(l.weights));
  const out = new Float64Array(X.rows * nOut);
  for (let i = 0; i < X.rows; i++) {
    let cur: Float64Array = X.data.subarray(i * nIn, (i + 1) * nIn);
    let h = height;
    let w = width;
    state.conv.forEach((layer, li) => {
      ({ out: cur, h, w } = convBlock(cur, h, w, layer, weights[li]!));
    });
    out.set(cur, i * nOut);
  }
  return { data: out, rows: X.rows, cols: nOut };
}

/** The dense head as the MLP it is. */
export function cnnHead(state: CnnState, nFeatures: number): MlpState {
  return { kind: "mlp", task: "classification", layers: state.dense, activation: "relu", nClasses: state.nClasses, nFeatures, backend: state.backend };
}

/** Class probabilities, rows x nClasses. Works in chunks to bound the intermediate feature maps. */
export function predictProbaCnn(state: CnnState, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows * state.nClasses);
  const chunk = 1024;
  for (let start = 0; start < X.rows; start += chunk) {
    const rows = Math.min(chunk, X.rows - start);
    const part: Matrix = { data: X.data.subarray(start * X.cols, (start + rows) * X.cols), rows, cols: X.cols };
    const features = cnnFeatures(state, part);
    out.set(predictProbaMlp(cnnHead(state, features.cols), features), start * state.nClasses);
  }
  return out;
}
