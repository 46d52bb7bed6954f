/**
 * Running ONNX models in onnxruntime-node: reading a file's signature on import, and predicting a
 * table with an imported (or exported) model. onnxruntime loads lazily, on first use.
 *
 * How table columns reach the graph's inputs, in order of preference:
 * 1. The studio's own metadata (`studio.inputs`, written by export): exactly those columns.
 * 2. Bindings fixed at import (a matrix input with the columns the user listed).
 * 3. By name: an input named like a table column takes that column ([N] or [N, 1]).
 * 4. A single 2-D numeric input that matches no column takes every number column of the table in
 *    order, except the target.
 */
import { createHash } from "node:crypto";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { getColumn, type DataTable, type TableColumn } from "../../artifacts/table";
import { listNames } from "../../stages/common";
import { StageError } from "../../stages/types";
import { META, OUTPUT_LABEL, OUTPUT_PROBABILITIES, OUTPUT_VALUE, type OnnxInputBinding } from "./contract";
import { decodeModelProto, int64, type ModelProto } from "./proto";

/** One input or output of the graph as onnxruntime reports it. */
export interface OnnxTensorInfo {
  name: string;
  /** onnxruntime's element type ("float32", "string", "int64", ...); "non-tensor" for sequences and maps. */
  type: string;
  /** Dimensions: a number, or a symbolic name / null for a dynamic one; null when unknown. */
  shape: (number | string | null)[] | null;
}

/** The fitted state of an imported ONNX model (StudioModel.state when algorithm is "onnx"). */
export interface OnnxModelState {
  kind: "onnx";
  /** The model file, base64. */
  bytes: string;
  sha256: string;
  fileName: string;
  producer: string;
  opsets: Record<string, number>;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Column -> input bindings when known before seeing a table (studio metadata, or the user's list). */
  bindings: OnnxInputBinding[] | null;
  task: "classification" | "regression";
  /** Which outputs hold what; the rest are not fetched. */
  labelOutput: string | null;
  probabilitiesOutput: string | null;
  valueOutput: string | null;
  /** Class labels in the order of the probabilities' columns; null for regression. */
  classes: string[] | null;
  /** The target column: left out when a matrix input takes "all number columns". */
  target: string | null;
  /** metadata_props of the file. */
  metadata: Record<string, string>;
}

export interface OnnxPrediction {
  labels?: string[];
  classIndex?: Int32Array;
  probabilities?: Float64Array;
  values?: Float64Array;
}

type Ort = typeof import("onnxruntime-node");
let ortModule: Promise<Ort> | null = null;
function loadOrt(): Promise<Ort> {
  return (ortModule ??= import("onnxruntime-node"));
}

/** Sessions by the model's sha256; small, since a worker predicts with a handful of models. */
const sessions = new Map<string, Promise<InferenceSession>>();
const MAX_SESSIONS = 8;

async function sessionFor(sha256: string, bytes: () => Uint8Array): Promise<InferenceSession> {
  let session = sessions.get(sha256);
  if (session) {
    sessions.delete(sha256); // re-insert: most recently used last
  } else {
    const ort = await loadOrt();
    // No intraOpNumThreads: a worker is one process per core budget, and passing undefined breaks it.
    session = ort.InferenceSession.create(bytes(), { graphOptimizationLevel: "all" });
    session.catch(() => sessions.delete(sha256));
  }
  sessions.set(sha256, session);
  while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
  return session;
}

export interface InspectOptions {
  task?: "classification" | "regression";
  /** Class labels in probability-column order, when the file does not say. */
  classes?: string[];
  /** The target column (for Evaluate); defaults to the studio metadata's. */
  target?: string;
  /** Columns feeding a single matrix input, in order. */
  columns?: string[];
}

export interface InspectedOnnx {
  state: OnnxModelState;
  target: string | null;
  targetKind: "number" | "string";
  /** The columns the model reads, when known (for the model artifact's `features`). */
  features: string[];
}

/**
 * Reads an ONNX file's signature: parses it (a clear error for a file that is not ONNX), loads it
 * in onnxruntime, and works out which outputs are the label, probabilities or value.
 */
export async function inspectOnnx(bytes: Uint8Array, fileName: string, options: InspectOptions = {}): Promise<InspectedOnnx> {
  let proto: ModelProto;
  try {
    proto = decodeModelProto(bytes);
  } catch (error) {
    throw new StageError(`${fileName} is not an ONNX model: ${(error as Error).message}. Choose a .onnx file.`, { field: "path" });
  }
  const graph = proto.graph;
  if (!graph || !graph.output?.length || !(int64(proto.ir_version) > 0)) {
    throw new StageError(
      `${fileName} is not an ONNX model: it has no ${!graph ? "graph" : !graph.output?.length ? "graph outputs" : "IR version"}. Choose a .onnx file.`,
      { field: "path" },
    );
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let session: InferenceSession;
  try {
    session = await sessionFor(sha256, () => bytes);
  } catch (error) {
    throw new StageError(`${fileName} could not be loaded by onnxruntime: ${(error as Error).message}`, { field: "path" });
  }
  const inputs = session.inputMetadata.map(tensorInfo);
  const outputs = session.outputMetadata.map(tensorInfo);
  const metadata = Object.fromEntries((proto.metadata_props ?? []).map((e) => [e.key ?? "", e.value ?? ""]));
  const opsets = Object.fromEntries((proto.opset_import ?? []).map((o) => [o.domain || "ai.onnx", int64(o.version)]));

  const studio = metadata[META.format] === "1";
  const meta = <T>(key: string): T | undefined => {
    try {
      return metadata[key] === undefined ? undefined : (JSON.parse(metadata[key]!) as T);
    } catch {
      return undefined;
    }
  };

  // Outputs: the studio's names, else by type and name.
  const tensorOutputs = outputs.filter((o) => o.type !== "non-tensor");
  const byName = (name: string) => tensorOutputs.find((o) => o.name === name)?.name ?? null;
  const isFloat = (o: OnnxTensorInfo) => o.type === "float32" || o.type === "float64";
  let labelOutput: string | null = null;
  let probabilitiesOutput: string | null = null;
  let valueOutput: string | null = null;
  if (studio) {
    labelOutput = byName(OUTPUT_LABEL);
    probabilitiesOutput = byName(OUTPUT_PROBABILITIES);
    valueOutput = byName(OUTPUT_VALUE);
  } else {
    const labels = tensorOutputs.filter((o) => !isFloat(o));
    labelOutput = (labels.find((o) => /label/i.test(o.name)) ?? labels[0])?.name ?? null;
    const floats = tensorOutputs.filter(isFloat);
    probabilitiesOutput = floats.find((o) => /prob|score/i.test(o.name))?.name ?? null;
    if (!labelOutput && !probabilitiesOutput) valueOutput = floats[0]?.name ?? null;
  }
  let task: "classification" | "regression" =
    options.task ?? (studio ? (metadata[META.task] as "classification" | "regression") : labelOutput || probabilitiesOutput ? "classification" : "regression");
  if (task !== "classification" && task !== "regression") task = labelOutput || probabilitiesOutput ? "classification" : "regression";
  if (task === "classification" && !labelOutput && !probabilitiesOutput) {
    probabilitiesOutput = tensorOutputs.find(isFloat)?.name ?? null;
  }
  if (task === "regression") {
    valueOutput ??= tensorOutputs.find(isFloat)?.name ?? null;
    labelOutput = probabilitiesOutput = null;
  } else valueOutput = null;
  const describe = () => outputs.map((o) => `'${o.name}' (${o.type} ${shapeText(o.shape)})`).join(", ");
  if (task === "regression" && !valueOutput) {
    throw new StageError(`${fileName} has no numeric tensor output to use as the prediction; its outputs are ${describe()}.`, { field: "task" });
  }
  if (task === "classification" && !labelOutput && !probabilitiesOutput) {
    throw new StageError(`${fileName} has no label or probability tensor output; its outputs are ${describe()}.`, { field: "task" });
  }

  // Class labels: the user's, the studio's, the classifier node's, or the probability columns' indices.
  let classes: string[] | null = null;
  if (task === "classification") {
    const width = probabilitiesOutput ? outputs.find((o) => o.name === probabilitiesOutput)?.shape?.[1] : undefined;
    classes =
      (options.classes?.length ? options.classes : null) ??
      (studio ? (meta<string[]>(META.classes) ?? null) : null) ??
      classLabelsFromGraph(proto) ??
      (typeof width === "number" && width > 0 ? Array.from({ length: width }, (_, i) => String(i)) : null);
    if (!classes) {
      throw new StageError(`${fileName} does not say what its classes are. List them under "Class labels", in the order of the model's probability columns.`, {
        field: "classes",
      });
    }
    if (typeof width === "number" && width > 0 && width !== classes.length) {
      throw new StageError(
        `${fileName}'s output '${probabilitiesOutput}' has ${width} probability columns but ${classes.length} class labels are given (${listNames(classes)}).`,
        { field: "classes" },
      );
    }
  }

  let bindings: OnnxInputBinding[] | null = studio ? (meta<OnnxInputBinding[]>(META.inputs) ?? null) : null;
  if (options.columns?.length) {
    const numeric = inputs.filter((i) => i.type !== "string");
    if (inputs.length !== 1 || numeric.length !== 1) {
      throw new StageError(
        `"Feature columns" is for a model with a single numeric matrix input, but ${fileName} has inputs ${inputs.map((i) => `'${i.name}'`).join(", ")}; they are fed by column name instead.`,
        { field: "columns" },
      );
    }
    checkWidth(inputs[0]!, options.columns.length, options.columns, fileName);
    bindings = [{ input: inputs[0]!.name, columns: options.columns, kind: "number" }];
  }

  const target = options.target || (studio ? metadata[META.target] : undefined) || null;
  const targetKind =
    (studio && (metadata[META.targetKind] === "string" || metadata[META.targetKind] === "number") ? (metadata[META.targetKind] as "number" | "string") : null) ??
    (task === "regression" || (classes ?? []).every((c) => c.trim() !== "" && Number.isFinite(Number(c))) ? "number" : "string");
  // The columns the graph reads: for an export with its transform these are the raw columns, not
  // the encoded features the studio model was trained on.
  const features = bindings ? bindings.flatMap((b) => b.columns) : inputs.filter((i) => inputs.length > 1 || isColumnShaped(i)).map((i) => i.name);

  const state: OnnxModelState = {
    kind: "onnx",
    bytes: Buffer.from(bytes).toString("base64"),
    sha256,
    fileName,
    producer: [proto.producer_name, proto.producer_version].filter(Boolean).join(" ") || "unknown",
    opsets,
    inputs,
    outputs,
    bindings,
    task,
    labelOutput,
    probabilitiesOutput,
    valueOutput,
    classes,
    target,
    metadata,
  };
  return { state, target, targetKind, features };
}

function tensorInfo(m: InferenceSession.ValueMetadata): OnnxTensorInfo {
  if (!m.isTensor) return { name: m.name, type: "non-tensor", shape: null };
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === "number" && d >= 0 ? d : typeof d === "string" && d ? d : null)) };
}

/** The class labels a standard classifier node declares (skl2onnx's ZipMap, LinearClassifier, ...). */
function classLabelsFromGraph(proto: ModelProto): string[] | null {
  const decoder = new TextDecoder();
  for (const node of proto.graph?.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.name === "classlabels_strings" && a.strings?.length) return a.strings.map((s) => decoder.decode(s));
      if ((a.name === "classlabels_int64s" || a.name === "classlabels_ints") && a.ints?.length) return a.ints.map((i) => String(int64(i)));
    }
  }
  return null;
}

function shapeText(shape: OnnxTensorInfo["shape"]): string {
  return shape ? `[${shape.map((d) => d ?? "?").join(", ")}]` : "[?]";
}

function isColumnShaped(info: OnnxTensorInfo): boolean {
  const s = info.shape;
  return !s || s.length === 1 || (s.length === 2 && (s[1] === 1 || s[1] === null || typeof s[1] === "string"));
}

function checkWidth(info: OnnxTensorInfo, width: number, columns: readonly string[], what: string): void {
  const expected = info.shape?.[1];
  if (typeof expected === "number" && expected !== width) {
    throw new StageError(
      `The model's input '${info.name}' (${info.type} ${shapeText(info.shape)}) takes ${expected} columns, but ${width} ${width === 1 ? "is" : "are"} given from ${what}: ${listNames(columns)}.`,
      { column: columns[0] },
    );
  }
}

/** Binds each graph input to table columns, or throws a StageError naming the input and the column. */
function resolveBindings(state: OnnxModelState, table: DataTable, what: string): OnnxInputBinding[] {
  if (state.bindings) return state.bindings;
  const names = table.columns.map((c) => c.name);
  return state.inputs.map((input): OnnxInputBinding => {
    const kind = input.type === "string" ? "string" : "number";
    if (getColumn(table, input.name) && isColumnShaped(input)) return { input: input.name, columns: [input.name], kind };
    if (state.inputs.length === 1 && kind === "number" && input.shape?.length === 2 && input.shape[1] !== 1) {
      const columns = table.columns.filter((c) => c.kind === "number" && c.name !== state.target).map((c) => c.name);
      checkWidth(input, columns.length, columns, `the number columns of the ${what}`);
      return { input: input.name, columns, kind };
    }
    throw new StageError(
      `The ${what} has no column '${input.name}' for the model's input '${input.name}' (${input.type} ${shapeText(input.shape)}); its columns are ${listNames(names)}.`,
      { column: input.name },
    );
  });
}

/** The feeds for one session run, type-checked against the graph's inputs. */
function buildFeeds(ort: Ort, state: OnnxModelState, table: DataTable, what: string): Record<string, Tensor> {
  const n = table.rowCount;
  const feeds: Record<string, Tensor> = {};
  for (const binding of resolveBindings(state, table, what)) {
    const info = state.inputs.find((i) => i.name === binding.input);
    if (!info) throw new StageError(`The model has no input '${binding.input}'; re-import the ONNX file.`);
    const expected = `the model's input '${info.name}' (${info.type} ${shapeText(info.shape)})`;
    const columns = binding.columns.map((name): TableColumn => {
      const column = getColumn(table, name);
      if (!column) {
        throw new StageError(
          `The ${what} has no column '${name}' for ${expected}; its columns are ${listNames(table.columns.map((c) => c.name))}. Give it the columns the model was trained on (raw, before Encode/Scale, for an exported studio model).`,
          { column: name },
        );
      }
      const wantText = info.type === "string";
      if ((column.kind === "string") !== wantText) {
        throw new StageError(
          `Column '${name}' holds ${column.kind === "string" ? "text" : "numbers"} but ${expected} expects ${wantText ? "text" : "numbers"}. Load the column with the matching type.`,
          { column: name },
        );
      }
      return column;
    });
    const k = columns.length;
    const rank = info.shape?.length ?? 2;
    if (rank !== 1 && rank !== 2) throw new StageError(`${expected} has rank ${rank}; only [N] and [N, k] inputs can be fed from a table.`);
    if (rank === 1 && k !== 1) throw new StageError(`${expected} is one-dimensional but ${k} columns are bound to it.`);
    if (rank === 2) checkWidth(info, k, binding.columns, `the ${what}`);
    const dims = rank === 1 ? [n] : [n, k];
    if (info.type === "string") {
      const data = new Array<string>(n * k);
      columns.forEach((c, j) => {
        const values = c.values as (string | null)[];
        // A missing text value becomes "": never a training category, so one-hot gives all zeros.
        for (let i = 0; i < n; i++) data[i * k + j] = values[i] ?? "";
      });
      feeds[info.name] = new ort.Tensor("string", data, dims);
      continue;
    }
    const get = (j: number, i: number) => (columns[j]!.values as Float64Array)[i]!;
    if (info.type === "float32" || info.type === "float64") {
      const data = info.type === "float32" ? new Float32Array(n * k) : new Float64Array(n * k);
      for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) data[i * k + j] = get(j, i);
      feeds[info.name] = new ort.Tensor(info.type, data, dims);
    } else if (info.type === "int64" || info.type === "int32") {
      const data = info.type === "int64" ? new BigInt64Array(n * k) : new Int32Array(n * k);
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < n; i++) {
          const v = get(j, i);
          if (!Number.isInteger(v)) {
            throw new StageError(`Column '${binding.columns[j]}' has ${Number.isNaN(v) ? "a missing value" : `the non-integer ${v}`} at row ${i + 1}, but ${expected} takes whole numbers.`, {
              column: binding.columns[j],
              row: i + 1,
            });
          }
          if (data instanceof BigInt64Array) data[i * k + j] = BigInt(v);
          else data[i * k + j] = v;
        }
      }
      feeds[info.name] = new ort.Tensor(info.type, data, dims);
    } else {
      throw new StageError(`${expected} has element type ${info.type}, which the studio cannot feed from a table.`);
    }
  }
  return feeds;
}

function toNumbers(t: Tensor): Float64Array {
  const d = t.data as ArrayLike<number | bigint>;
  return Float64Array.from(d as ArrayLike<number>, (v) => Number(v));
}

function toStrings(t: Tensor): string[] {
  const d = t.data as ArrayLike<string | number | bigint>;
  return Array.from(d, (v) => String(v));
}

/**
 * Predicts the table's rows with an ONNX model state (imported, or the studio's own export).
 * Throws StageError naming the column and the input when the table does not fit the model.
 */
export async function predictOnnxModel(state: OnnxModelState, table: DataTable, options: { what?: string } = {}): Promise<OnnxPrediction> {
  if (state?.kind !== "onnx" || typeof state.bytes !== "string") {
    throw new StageError("The model's ONNX state is missing or damaged; import the ONNX file again.", { field: "model" });
  }
  const what = options.what ?? "table";
  const ort = await loadOrt();
  const session = await sessionFor(state.sha256, () => Buffer.from(state.bytes, "base64"));
  const feeds = buildFeeds(ort, state, table, what);
  const fetches = [state.labelOutput, state.probabilitiesOutput, state.valueOutput].filter((o): o is string => !!o);
  let out: InferenceSession.ReturnType;
  try {
    out = await session.run(feeds, fetches);
  } catch (error) {
    throw new StageError(`The ONNX model failed on the ${what}: ${(error as Error).message}`);
  }
  const n = table.rowCount;

  if (state.task === "regression") {
    const t = out[state.valueOutput!]!;
    const width = t.dims.length === 2 ? t.dims[1]! : 1;
    if (t.dims.length > 2 || width !== 1) {
      throw new StageError(`The ONNX model's output '${state.valueOutput}' has shape [${t.dims.join(", ")}]; the studio predicts one value per row ([N] or [N, 1]).`);
    }
    return { values: toNumbers(t) };
  }

  const classes = state.classes!;
  const k = classes.length;
  let probabilities: Float64Array | null = null;
  if (state.probabilitiesOutput) {
    const t = out[state.probabilitiesOutput]!;
    if (t.dims.length !== 2 || t.dims[1] !== k) {
      throw new StageError(`The ONNX model's output '${state.probabilitiesOutput}' has shape [${t.dims.join(", ")}], expected [N, ${k}] for the classes ${listNames(classes)}.`);
    }
    probabilities = toNumbers(t);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const classIndex = new Int32Array(n);
  let labels: string[];
  if (state.labelOutput) {
    labels = toStrings(out[state.labelOutput]!);
    for (let i = 0; i < n; i++) {
      const c = index.get(labels[i]!);
      if (c === undefined) {
        if (!probabilities) {
          throw new StageError(`The ONNX model predicted '${labels[i]}' at row ${i + 1}, which is not among its classes ${listNames(classes)}. Set "Class labels" when importing.`, {
            row: i + 1,
          });
        }
        classIndex[i] = argmax(probabilities, i, k);
        labels[i] = classes[classIndex[i]!]!;
      } else classIndex[i] = c;
    }
  } else {
    labels = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      classIndex[i] = argmax(probabilities!, i, k);
      labels[i] = classes[classIndex[i]!]!;
    }
  }
  if (!probabilities) {
    // A label-only model: its probabilities are certainties.
    probabilities = new Float64Array(n * k);
    for (let i = 0; i < n; i++) probabilities[i * k + classIndex[i]!] = 1;
  }
  return { labels, classIndex, probabilities };
}

function argmax(p: Float64Array, row: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[row * k + c]! > p[row * k + best]!) best = c;
  return best;
}

/**
 * The same for a feature matrix whose columns are named `features` (Cross-validate and permutation
 * importance build matrices): row-major probabilities (rows x classes) or one value per row.
 * Only for models whose inputs are all numeric.
 */
export async function predictOnnxMatrix(
  state: OnnxModelState,
  features: readonly string[],
  X: { data: Float64Array; rows: number; cols: number },
): Promise<Float64Array> {
  const columns: TableColumn[] = features.map((name, j) => {
    const values = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) values[i] = X.data[i * X.cols + j]!;
    return { name, kind: "number", values };
  });
  const out = await predictOnnxModel(state, { columns, rowCount: X.rows });
  return state.task === "classification" ? out.probabilities! : out.values!;
}
