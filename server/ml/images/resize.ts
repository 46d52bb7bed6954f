/**
 * Colour conversion and resizing with Pillow's semantics (`convert("L")`, `resize(BILINEAR)`), so
 * an image prepared here matches one prepared in Python: ITU-R 601-2 luma for grayscale, and a
 * triangle filter whose support widens with the scale factor when shrinking (antialiased), which
 * is plain half-pixel bilinear interpolation when enlarging.
 */

/** Pixels as floats, row-major height x width x channels (the NHWC layout TensorFlow uses). */
export interface FloatImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** RGBA bytes to 1 (luma) or 3 (RGB) float channels in 0..255. Alpha is dropped, as Pillow does. */
export function toChannels(rgba: { width: number; height: number; data: Uint8Array }, channels: 1 | 3): FloatImage {
  const n = rgba.width * rgba.height;
  const out = new Float32Array(n * channels);
  const d = rgba.data;
  for (let i = 0; i < n; i++) {
    const r = d[i * 4]!;
    const g = d[i * 4 + 1]!;
    const b = d[i * 4 + 2]!;
    if (channels === 1) out[i] = (r * 299 + g * 587 + b * 114) / 1000;
    else {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    }
  }
  return { width: rgba.width, height: rgba.height, channels, data: out };
}

/** For each output coordinate, the first input index and normalised weights of the inputs it blends. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  stride: number;
}

function axisWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the triangle filter's support is 1 input pixel, widened when shrinking
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * stride);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(center - support + 0.5));
    const hi = Math.min(inSize, Math.trunc(center + support + 0.5));
    let total = 0;
    for (let i = lo; i < hi; i++) {
      const w = Math.max(0, 1 - Math.abs((i - center + 0.5) / filterScale));
      weights[o * stride + (i - lo)] = w;
      total += w;
    }
    for (let i = 0; i < hi - lo; i++) weights[o * stride + i] = total > 0 ? weights[o * stride + i]! / total : 0;
    start[o] = lo;
    count[o] = hi - lo;
  }
  return { start, count, weights, stride };
}

/** Resizes in two separable passes (rows, then columns). */
export function resizeImage(img: FloatImage, width: number, height: number): FloatImage {
  if (img.width === width && img.height === height) return img;
  const c = img.channels;
  const xw = axisWeights(img.width, width);
  const yw = axisWeights(img.height, height);
  // Horizontal pass: height_in x width_out.
  const tmp = new Float32Array(img.height * width * c);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width * c;
    for (let x = 0; x < width; x++) {
      const lo = xw.start[x]!;
      const wo = x * xw.stride;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < xw.count[x]!; k++) acc += xw.weights[wo + k]! * img.data[row + (lo + k) * c + ch]!;
        tmp[(y * width + x) * c + ch] = acc;
      }
    }
  }
  // Vertical pass: height_out x width_out.
  const out = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const lo = yw.start[y]!;
    const wo = y * yw.stride;
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < yw.count[y]!; k++) acc += yw.weights[wo + k]! * tmp[((lo + k) * width + x) * c + ch]!;
        out[(y * width + x) * c + ch] = acc;
      }
    }
  }
  return { width, height, channels: c, data: out };
}
