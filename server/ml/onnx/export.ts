/**
 * Exports a studio model, with the Encode/Scale transform it was trained after, as ONE ONNX graph.
 *
 * Contract of the exported graph (the stage description repeats it for users):
 * - Numbers are float64 (tensor(double)) from the inputs up to the model's scores: scaling is
 *   (x - center) / scale exactly as applyEncodeScale computes it, and tree splits compare float64
 *   values with float64 thresholds, so every split decides as in-process (with float32 a held-out
 *   5.1 lying on a 5.0/5.2 training midpoint can fall on the other side). The outputs are float32;
 *   an exporter may apply its last link function (a sigmoid or softmax) in float32, where
 *   onnxruntime's kernels are vectorised, as long as the label is decided on float64 scores or on
 *   scores whose order float32 keeps.
 * - With a transform: one input per raw table column the model needs, named after the column
 *   (a column called like an output gets an `_input` suffix), shape [N, 1]; double for number
 *   columns, string for text columns. Text columns are one-hot encoded (ai.onnx.ml OneHotEncoder)
 *   with the training categories; an unseen or empty value gives all zeros, as the replay does.
 *   The pieces are concatenated (and reordered with Gather when needed) in the model's feature order.
 * - Without a transform: a single double input "input" [N, nFeatures] in the model's feature order.
 * - Classification: "label" [N] string (the class name; the argmax of the probabilities,
 *   or of the scores they are a monotone function of; int64 when the target is a number column
 *   with whole-number classes, as skl2onnx does)
 *   and "probabilities" [N, nClasses] float32 in class order. Regression: "variable" [N, 1] float32.
 * - metadata_props carry the studio's view (task, classes, target, features and which columns feed
 *   which inputs) so importing the file back gives a model that predicts on the same tables.
 */
import type { StudioModel } from "../../stages/model/predict-core";
import type { EncodeScaleStep, EncodeScaleTransform } from "../../stages/transform/encode-scale-core";
import { MlInputError } from "../errors";
import { attr, GraphBuilder, ML_DOMAIN, ONNX_ML_OPSET, ONNX_OPSET } from "./builder";
import { findOnnxExporter, onnxExporterKeys, type ClassLabels } from "./exporters";
import { META, MATRIX_INPUT, OUTPUT_LABEL, OUTPUT_PROBABILITIES, OUTPUT_VALUE, type OnnxInputBinding } from "./contract";
import { TensorType } from "./proto";
import "./models/cnn";
import "./models/knn";
import "./models/linear";
import "./models/mlp";
import "./models/naive-bayes";
import "./models/trees";

export { META, MATRIX_INPUT, OUTPUT_LABEL, OUTPUT_PROBABILITIES, OUTPUT_VALUE, type OnnxInputBinding } from "./contract";

export interface OnnxExport {
  bytes: Uint8Array;
  inputs: OnnxInputBinding[];
  outputs: string[];
  opset: Record<string, number>;
}

/** Algorithms (state kinds or algorithm names) that have an exporter. */
export function exportableAlgorithms(): string[] {
  return onnxExporterKeys();
}

export function hasOnnxExporter(model: Pick<StudioModel, "algorithm" | "state">): boolean {
  return findOnnxExporter(model.algorithm, model.state) !== undefined;
}

/**
 * Builds the ONNX graph. Throws MlInputError (with a message for the user) when the model has no
 * exporter, its state is malformed, or the transform does not produce the model's features.
 */
export function exportToOnnx(model: StudioModel, transform?: EncodeScaleTransform | null): OnnxExport {
  const exporter = findOnnxExporter(model.algorithm, model.state);
  if (!exporter) {
    throw new MlInputError(
      `There is no ONNX exporter for '${model.algorithm}' models yet; ONNX export supports ${onnxExporterKeys()
        .map((k) => `'${k}'`)
        .join(", ")}.`,
      { algorithm: model.algorithm },
    );
  }
  const g = new GraphBuilder();
  const outputNames = model.task === "classification" ? [OUTPUT_LABEL, OUTPUT_PROBABILITIES] : [OUTPUT_VALUE];
  g.reserve(...outputNames);

  const { features, bindings } = transform ? preprocess(g, model.features, transform) : matrixInput(g, model.features);

  const labels = model.task === "classification" ? classLabels(model) : null;
  const head = exporter({
    g,
    features,
    nFeatures: model.features.length,
    state: model.state,
    task: model.task,
    classes: model.classes,
    labels,
    featureNames: model.features,
  });
  if (head.task !== model.task) {
    throw new MlInputError(`The ${model.algorithm} exporter produced a ${head.task} graph for a ${model.task} model.`);
  }
  if (head.task === "classification" && labels) {
    g.output(head.label ?? labelOf(g, head.labelScores ?? head.probabilities, labels), OUTPUT_LABEL, labels.type === "int64" ? TensorType.INT64 : TensorType.STRING, ["N"]);
    g.output(head.float32Probabilities ? head.probabilities : toFloat(g, head.probabilities), OUTPUT_PROBABILITIES, TensorType.FLOAT, ["N", labels.values.length]);
  } else if (head.task === "regression") {
    g.output(toFloat(g, head.values), OUTPUT_VALUE, TensorType.FLOAT, ["N", 1]);
  }

  const metadata: Record<string, string> = {
    [META.format]: "1",
    [META.task]: model.task,
    [META.target]: model.target,
    [META.targetKind]: model.targetKind,
    [META.algorithm]: model.algorithm,
    [META.features]: JSON.stringify(model.features),
    [META.inputs]: JSON.stringify(bindings),
    [META.outputs]: JSON.stringify(
      model.task === "classification" ? { label: OUTPUT_LABEL, probabilities: OUTPUT_PROBABILITIES } : { value: OUTPUT_VALUE },
    ),
  };
  if (model.classes) metadata[META.classes] = JSON.stringify(model.classes);
  const bytes = g.toBytes({
    graphName: `${model.algorithm}_${model.target}`.replace(/[^A-Za-z0-9_]/g, "_"),
    docString: `${model.algorithm} ${model.task} model predicting '${model.target}', exported by Pipeline Studio`,
    metadata,
  });
  const opset: Record<string, number> = { "ai.onnx": ONNX_OPSET };
  if (g.opsets[ML_DOMAIN]) opset[ML_DOMAIN] = ONNX_ML_OPSET;
  return { bytes, inputs: bindings, outputs: outputNames, opset };
}

/**
 * A number target whose classes are whole numbers gets an int64 label, as skl2onnx exports a
 * classifier trained on integer labels: what scikit-learn's predict returns, and far cheaper for
 * a runtime to hand back than strings.
 */
function classLabels(model: StudioModel): ClassLabels {
  const classes = model.classes ?? [];
  const integers = model.targetKind === "number" && classes.every((c) => /^-?\d+$/.test(c) && Number.isSafeInteger(Number(c)));
  return integers ? { type: "int64", values: classes.map(Number) } : { type: "string", values: classes };
}

/** The label of each row: the class of its largest score (the first on a tie, as in-process). */
function labelOf(g: GraphBuilder, scores: string, labels: ClassLabels): string {
  const index = g.op("ArgMax", [scores], { axis: attr.int(1), keepdims: attr.int(0) });
  // Classes 0..k-1 are their own indices: a Gather would copy the int64 labels for nothing.
  if (labels.type === "int64" && labels.values.every((v, i) => v === i)) return index;
  const table = labels.type === "int64" ? g.int64("class_labels", labels.values, [labels.values.length]) : g.strings("class_labels", labels.values, [labels.values.length]);
  return g.op("Gather", [table, index], { axis: attr.int(0) });
}

function toFloat(g: GraphBuilder, tensor: string): string {
  return g.op("Cast", [tensor], { to: attr.int(TensorType.FLOAT) });
}

function matrixInput(g: GraphBuilder, columns: readonly string[]): { features: string; bindings: OnnxInputBinding[] } {
  const features = g.input(MATRIX_INPUT, TensorType.DOUBLE, ["N", columns.length]);
  return { features, bindings: [{ input: MATRIX_INPUT, columns: [...columns], kind: "number" }] };
}

/** Where a model feature comes from: one raw column, through one Encode/Scale step (or none). */
interface Source {
  column: string;
  kind: "number" | "string";
  step: EncodeScaleStep | null;
  /** The feature's column within that step's output (one-hot: the category's index). */
  offset: number;
}

/**
 * The Encode/Scale transform as ONNX: raw-column inputs -> the model's feature matrix. Only the
 * columns the model's features come from become inputs (the target and unused columns do not).
 */
function preprocess(g: GraphBuilder, features: readonly string[], transform: EncodeScaleTransform): { features: string; bindings: OnnxInputBinding[] } {
  if (transform?.kind !== "encode-scale" || !Array.isArray(transform.steps)) {
    throw new MlInputError("The transform is not an Encode/Scale transform; connect the Fitted transform output of an Encode/Scale node.");
  }
  const kindOf = new Map(transform.inputColumns.map((c) => [c.name, c.kind]));
  const byOutput = new Map<string, { step: EncodeScaleStep; offset: number }>();
  for (const step of transform.steps) {
    if (step.op === "one-hot") step.outputs.forEach((name, k) => byOutput.set(name, { step, offset: k }));
    else byOutput.set(step.column, { step, offset: 0 });
  }

  const sources: Source[] = features.map((feature): Source => {
    const hit = byOutput.get(feature);
    // A column the transform never saw: applyEncodeScale appends it unchanged.
    if (!hit) return { column: feature, kind: "number", step: null, offset: 0 };
    const { step, offset } = hit;
    if (step.op === "one-hot") return { column: step.column, kind: "string", step, offset };
    if (step.op === "pass" && (kindOf.get(step.column) ?? "number") !== "number") {
      throw new MlInputError(
        `Feature '${feature}' is a text column the transform leaves unencoded; a model cannot use it. Turn on one-hot encoding in Encode/Scale.`,
        { column: feature },
      );
    }
    return { column: step.column, kind: "number", step: step.op === "scale" ? step : null, offset: 0 };
  });

  // One input per raw column, declared before any node so generated names never clash with them.
  const columns = [...new Map(sources.map((s) => [s.column, s])).values()];
  const inputName = new Map<string, string>();
  const typeOf = (s: Source) => (s.kind === "number" ? TensorType.DOUBLE : TensorType.STRING);
  for (const s of columns) if (!isReservedOutput(s.column)) inputName.set(s.column, g.input(s.column, typeOf(s), ["N", 1]));
  for (const s of columns) if (isReservedOutput(s.column)) inputName.set(s.column, g.freshInput(`${s.column}_input`, typeOf(s), ["N", 1]));
  const bindings: OnnxInputBinding[] = columns.map((s) => ({ input: inputName.get(s.column)!, columns: [s.column], kind: s.kind }));

  // Each column's encoded tensor, in order of first use, concatenated.
  const pieces: string[] = [];
  const start = new Map<string, number>();
  let width = 0;
  let axis1: string | null = null;
  for (const s of columns) {
    const x = inputName.get(s.column)!;
    let tensor = x;
    let w = 1;
    if (s.step?.op === "one-hot") {
      // [N, 1] -> [N, 1, C] float32 -> [N, C] double; zeros=1 makes an unseen value all zeros, like applyEncodeScale.
      const encoded = g.op("OneHotEncoder", [x], { cats_strings: attr.strings(s.step.categories), zeros: attr.int(1) }, { domain: ML_DOMAIN });
      const squeezed = g.op("Squeeze", [encoded, (axis1 ??= g.int64("axis_1", [1], [1]))]);
      tensor = g.op("Cast", [squeezed], { to: attr.int(TensorType.DOUBLE) });
      w = s.step.categories.length;
    } else if (s.step?.op === "scale") {
      // (x - center) / scale in float64, the replay's exact arithmetic (ai.onnx.ml Scaler would
      // compute (x - offset) * scale in float32).
      tensor = g.op("Div", [g.op("Sub", [x, g.double(`${s.column}_center`, [s.step.center], [1])]), g.double(`${s.column}_scale`, [s.step.scale], [1])]);
    }
    pieces.push(tensor);
    start.set(s.column, width);
    width += w;
  }
  const order = sources.map((s) => start.get(s.column)! + s.offset);
  let matrix = pieces.length === 1 ? pieces[0]! : g.op("Concat", pieces, { axis: attr.int(1) }, { name: "features" });
  const identity = order.length === width && order.every((v, i) => v === i);
  if (!identity) matrix = g.op("Gather", [matrix, g.int64("feature_order", order, [order.length])], { axis: attr.int(1) }, { name: "features" });
  return { features: matrix, bindings };
}

function isReservedOutput(name: string): boolean {
  return name === OUTPUT_LABEL || name === OUTPUT_PROBABILITIES || name === OUTPUT_VALUE;
}
