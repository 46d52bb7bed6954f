/**
 * The CNN as standard ai.onnx operators: the float64 pixel matrix is cast to float32 (onnxruntime's
 * CPU Conv has no float64 kernel), reshaped to NHWC and transposed to ONNX's NCHW; then per block
 * Conv 3x3 (pads 1) -> Relu -> MaxPool 2x2; back to NHWC before Flatten so the dense weights see
 * features in the order they were trained on; MatMul/Add, Relu, MatMul/Add, Softmax, cast back up.
 */
import { blockShapes, CNN_KERNEL, type CnnState } from "../../cnn-predict";
import { attr } from "../builder";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";
import { TensorType } from "../proto";

/** tf's HWIO conv kernel [k, k, in, out] to ONNX's OIHW [out, in, k, k]. */
function hwioToOihw(w: readonly number[], inC: number, filters: number): Float32Array {
  const K = CNN_KERNEL;
  const out = new Float32Array(filters * inC * K * K);
  for (let ky = 0; ky < K; ky++)
    for (let kx = 0; kx < K; kx++)
      for (let i = 0; i < inC; i++)
        for (let o = 0; o < filters; o++) out[((o * inC + i) * K + ky) * K + kx] = w[((ky * K + kx) * inC + i) * filters + o]!;
  return out;
}

export function exportCnn({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const s = state as CnnState;
  const what = "CNN";
  if (!s?.image || !Array.isArray(s.conv) || s.conv.length === 0 || !Array.isArray(s.dense) || s.dense.length === 0) invalidState(what, "it has no layers");
  const { height, width, channels } = s.image;
  requireFeatureCount(what, height * width * channels, nFeatures);
  if (!classes || classes.length !== s.nClasses) invalidState(what, `it has ${s.nClasses} outputs but the model lists ${classes?.length ?? 0} classes`);
  const shapes = blockShapes(s.image, s.conv);
  const last = shapes[shapes.length - 1]!;

  let x = g.op("Cast", [features], { to: attr.int(TensorType.FLOAT) });
  x = g.op("Reshape", [x, g.int64("cnn_nhwc", [-1, height, width, channels], [4])]);
  x = g.op("Transpose", [x], { perm: attr.ints([0, 3, 1, 2]) });
  let inC = channels;
  s.conv.forEach((layer, i) => {
    if (layer.inChannels !== inC || layer.weights.length !== CNN_KERNEL * CNN_KERNEL * inC * layer.filters || layer.bias.length !== layer.filters) {
      invalidState(what, `conv layer ${i} does not fit ${inC} input channels and ${layer.filters} filters`);
    }
    const W = g.float(`cnn_conv${i}_w`, hwioToOihw(layer.weights, inC, layer.filters), [layer.filters, inC, CNN_KERNEL, CNN_KERNEL]);
    const b = g.float(`cnn_conv${i}_b`, layer.bias, [layer.filters]);
    const pad = (CNN_KERNEL - 1) / 2;
    x = g.op("Conv", [x, W, b], { kernel_shape: attr.ints([CNN_KERNEL, CNN_KERNEL]), pads: attr.ints([pad, pad, pad, pad]), strides: attr.ints([1, 1]) });
    x = g.op("Relu", [x]);
    x = g.op("MaxPool", [x], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
    inC = layer.filters;
  });
  x = g.op("Flatten", [g.op("Transpose", [x], { perm: attr.ints([0, 2, 3, 1]) })], { axis: attr.int(1) });
  let inDim = last.height * last.width * last.channels;
  s.dense.forEach((layer, i) => {
    const [rows, cols] = layer.shape;
    if (rows !== inDim || layer.weights.length !== rows * cols || layer.bias.length !== cols) invalidState(what, `dense layer ${i} has shape [${rows}, ${cols}] but receives ${inDim} inputs`);
    x = g.op("Add", [g.op("MatMul", [x, g.float(`cnn_dense${i}_w`, layer.weights, [rows, cols])]), g.float(`cnn_dense${i}_b`, layer.bias, [cols])]);
    if (i < s.dense.length - 1) x = g.op("Relu", [x]);
    inDim = cols;
  });
  if (inDim !== classes.length) invalidState(what, `its last layer has ${inDim} units for ${classes.length} classes`);
  // The network is float32 throughout, as tf computes it; so are its probabilities.
  return { task: "classification", probabilities: g.op("Softmax", [x], { axis: attr.int(1) }), float32Probabilities: true };
}

registerOnnxExporter("cnn", exportCnn);
