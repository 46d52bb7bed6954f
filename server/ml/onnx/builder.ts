/**
 * A small typed builder for ONNX graphs: declare inputs, add constant tensors and nodes, name the
 * outputs, get a ModelProto's bytes. Names are made unique here, so exporters can say
 * `g.op("MatMul", [x, w])` without bookkeeping.
 */
import {
  AttributeType,
  TensorType,
  encodeModelProto,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorElemType,
  type TensorProto,
  type ValueInfoProto,
} from "./proto";

/** The default-domain opset: well inside what onnxruntime 1.30 runs, and old enough for most other runtimes. */
export const ONNX_OPSET = 17;
/**
 * ai.onnx.ml opset 3: TreeEnsembleRegressor and TreeEnsembleClassifier with the float64 `*_as_tensor` attributes, OneHotEncoder.
 * (Opset 5's TreeEnsemble would also output float64, but fewer runtimes have it.)
 */
export const ONNX_ML_OPSET = 3;
export const ML_DOMAIN = "ai.onnx.ml";
/** IR version 8 goes with opset 17 (onnx 1.12+). */
export const IR_VERSION = 8;

/** A dimension: a size, or a symbolic name such as "N" for the batch. */
export type Dim = number | string;

/** An attribute value with its ONNX type spelled out (1.0 as FLOAT and 1 as INT are different attributes). */
export type Attr =
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "string"; value: string }
  | { type: "ints"; value: readonly number[] }
  | { type: "floats"; value: ArrayLike<number> }
  | { type: "strings"; value: readonly string[] }
  | { type: "tensor"; value: TensorProto };

export const attr = {
  int: (value: number): Attr => ({ type: "int", value }),
  float: (value: number): Attr => ({ type: "float", value }),
  string: (value: string): Attr => ({ type: "string", value }),
  ints: (value: readonly number[]): Attr => ({ type: "ints", value }),
  floats: (value: ArrayLike<number>): Attr => ({ type: "floats", value }),
  strings: (value: readonly string[]): Attr => ({ type: "strings", value }),
  /** A float64 tensor attribute (the `*_as_tensor` attributes of ai.onnx.ml tree ensembles). */
  doubles: (values: ArrayLike<number>): Attr => ({ type: "tensor", value: doubleTensorProto("", values, [values.length]) }),
};

const utf8 = new TextEncoder();

function attributeProto(name: string, a: Attr): AttributeProto {
  switch (a.type) {
    case "int":
      return { name, type: AttributeType.INT, i: a.value };
    case "float":
      return { name, type: AttributeType.FLOAT, f: a.value };
    case "string":
      return { name, type: AttributeType.STRING, s: utf8.encode(a.value) };
    case "ints":
      return { name, type: AttributeType.INTS, ints: a.value as number[] };
    case "floats":
      return { name, type: AttributeType.FLOATS, floats: Array.from(a.value, Math.fround) };
    case "strings": {
      // Tree modes repeat two strings 100k times: encode each distinct one once.
      const cache = new Map<string, Uint8Array>();
      const strings = a.value.map((s) => {
        let bytes = cache.get(s);
        if (!bytes) cache.set(s, (bytes = utf8.encode(s)));
        return bytes;
      });
      return { name, type: AttributeType.STRINGS, strings };
    }
    case "tensor":
      return { name, type: AttributeType.TENSOR, t: a.value };
  }
}

export function valueInfo(name: string, elemType: TensorElemType, shape: readonly Dim[]): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** A float32 tensor; values are rounded to float32 and stored as little-endian raw_data. */
export function floatTensorProto(name: string, values: ArrayLike<number>, dims: readonly number[]): TensorProto {
  checkSize(name, values.length, dims);
  const data = Float32Array.from(values as ArrayLike<number>);
  return { name, dims: [...dims], data_type: TensorType.FLOAT, raw_data: littleEndian(data) };
}

/** A float64 tensor, stored as little-endian raw_data. */
export function doubleTensorProto(name: string, values: ArrayLike<number>, dims: readonly number[]): TensorProto {
  checkSize(name, values.length, dims);
  const data = Float64Array.from(values as ArrayLike<number>);
  return { name, dims: [...dims], data_type: TensorType.DOUBLE, raw_data: littleEndian(data) };
}

export function int64TensorProto(name: string, values: readonly number[], dims: readonly number[]): TensorProto {
  checkSize(name, values.length, dims);
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return { name, dims: [...dims], data_type: TensorType.INT64, raw_data: littleEndian(data) };
}

export function stringTensorProto(name: string, values: readonly string[], dims: readonly number[]): TensorProto {
  checkSize(name, values.length, dims);
  return { name, dims: [...dims], data_type: TensorType.STRING, string_data: values.map((s) => utf8.encode(s)) };
}

function checkSize(name: string, length: number, dims: readonly number[]): void {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== length) throw new Error(`tensor '${name}' has ${length} values but shape [${dims.join(", ")}] needs ${size}`);
}

function littleEndian(data: Float32Array | Float64Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  // Big-endian host: ONNX raw_data is always little-endian.
  const out = new Uint8Array(bytes.length);
  const width = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b]!;
  return out;
}

export interface BuildOptions {
  graphName?: string;
  docString?: string;
  producerVersion?: string;
  /** Written to ModelProto.metadata_props (string values; serialise anything else as JSON). */
  metadata?: Record<string, string>;
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();
  private nodeCount = 0;

  /** Reserves names that must not be generated (the graph's output names, say). */
  reserve(...names: string[]): void {
    for (const n of names) this.names.add(n);
  }

  /** A name not used yet, derived from `base`. */
  unique(base: string): string {
    const clean = base || "t";
    if (!this.names.has(clean)) {
      this.names.add(clean);
      return clean;
    }
    for (let i = 1; ; i++) {
      const candidate = `${clean}_${i}`;
      if (!this.names.has(candidate)) {
        this.names.add(candidate);
        return candidate;
      }
    }
  }

  /** Declares a graph input under exactly this name (throws if taken). */
  input(name: string, elemType: TensorElemType, shape: readonly Dim[]): string {
    if (this.names.has(name)) throw new Error(`ONNX graph input name '${name}' is already used`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** Declares a graph input under a fresh name derived from `base`; returns the name. */
  freshInput(base: string, elemType: TensorElemType, shape: readonly Dim[]): string {
    const name = this.unique(base);
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** Makes `tensor` a graph output called `name` (an Identity node renames it). */
  output(tensor: string, name: string, elemType: TensorElemType, shape: readonly Dim[]): void {
    if (this.outputs.some((o) => o.name === name)) throw new Error(`ONNX graph output '${name}' is declared twice`);
    this.names.add(name);
    this.nodes.push({ input: [tensor], output: [name], op_type: "Identity", name: `output_${name}`, domain: "" });
    this.outputs.push(valueInfo(name, elemType, shape));
  }

  float(base: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push(floatTensorProto(name, values, dims));
    return name;
  }

  double(base: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push(doubleTensorProto(name, values, dims));
    return name;
  }

  int64(base: string, values: readonly number[], dims: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push(int64TensorProto(name, values, dims));
    return name;
  }

  strings(base: string, values: readonly string[], dims: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push(stringTensorProto(name, values, dims));
    return name;
  }

  /** Adds a node with `outputs` fresh output tensors and returns their names. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attr> = {},
    options: { domain?: string; outputs?: number; name?: string } = {},
  ): string[] {
    const domain = options.domain ?? "";
    if (domain) this.domains.add(domain);
    const base = options.name ?? opType.toLowerCase();
    const outputs = Array.from({ length: options.outputs ?? 1 }, (_, i) => this.unique(`${base}_out${i || ""}`));
    this.nodes.push({
      input: [...inputs],
      output: outputs,
      op_type: opType,
      domain,
      name: `${base}_${this.nodeCount++}`,
      attribute: Object.entries(attributes).map(([name, a]) => attributeProto(name, a)),
    });
    return outputs;
  }

  /** A single-output node: returns its output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attr> = {}, options: { domain?: string; name?: string } = {}): string {
    return this.node(opType, inputs, attributes, { ...options, outputs: 1 })[0]!;
  }

  get inputNames(): string[] {
    return this.inputs.map((i) => i.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((o) => o.name);
  }

  get opsets(): Record<string, number> {
    const out: Record<string, number> = { "": ONNX_OPSET };
    if (this.domains.has(ML_DOMAIN)) out[ML_DOMAIN] = ONNX_ML_OPSET;
    return out;
  }

  build(options: BuildOptions = {}): ModelProto {
    return {
      ir_version: IR_VERSION,
      opset_import: Object.entries(this.opsets).map(([domain, version]) => ({ domain, version })),
      producer_name: "pipeline-studio",
      producer_version: options.producerVersion ?? "0.1.0",
      doc_string: options.docString,
      graph: {
        name: options.graphName ?? "studio_model",
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }

  toBytes(options: BuildOptions = {}): Uint8Array {
    return encodeModelProto(this.build(options));
  }
}
