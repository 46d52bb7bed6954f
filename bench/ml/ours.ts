/**
 * One studio model on one data set, in a fresh Node process (so its peak RSS is its own): run by
 * bench/ml/run.ts as `node --import tsx bench/ml/ours.ts '<job json>'`; prints one line
 * `RESULT {json}` on stdout.
 *
 * Steps: warm-up fits + predicts on the first rows (JIT), timed fit on the training rows, one
 * in-process predict on the test rows, peak RSS, then ONNX export of the fitted model, its
 * onnxruntime-node session and a first run (not timed). The predicts are then timed in the blocks
 * the runner asks for (timing-protocol.ts), in turn with scikit-learn's.
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { accuracy } from "../../server/ml/classification-metrics";
import type { Matrix } from "../../server/ml/matrix";
import { fitModel, prestartModelThreads } from "../../server/ml/models/fit";
import { requireModel } from "../../server/ml/models/registry";
import { r2Score } from "../../server/ml/regression-metrics";
import type { StudioModel } from "../../server/stages/model/predict-core";
import { readDataset } from "./data";
import { median, serveTimingRounds, type Timed } from "./timing-protocol";

export interface OursJob {
  folder: string;
  model: string;
  params: Record<string, unknown>;
  seed: number;
  threads: number;
  warmupRows: number;
  warmupRuns: number;
  onnx: boolean;
  /** Run the ONNX graph on this many test rows at a time (k-NN: its graph holds an [N, nTrain] distance matrix). */
  onnxBatchRows?: number;
}

export interface OursResult {
  score: number;
  fitS: number;
  predictS: number;
  maxRssMb: number;
  backend: string;
  warnings: string[];
  /** Solver iterations, for models that report them (logistic regression). */
  iterations?: number;
  onnx: null | {
    predictS: number;
    exportS: number;
    sessionS: number;
    bytes: number;
    score: number;
    /** Classification: rows whose ONNX label differs from the in-process one; regression: largest |diff|. */
    disagreement: number;
  };
  onnxError?: string;
}

/**
 * This process's peak RSS in MB: VmHWM of /proc/self/status (Linux), else getrusage's maxRSS.
 * Not maxRSS first: on Linux it survives exec, so a child forked from a big parent reports at
 * least the parent's RSS at the fork; VmHWM belongs to the new address space alone.
 */
function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "{}") as OursJob;
  const { meta, Xtrain, ytrain, Xtest, ytest } = readDataset(job.folder);
  const spec = requireModel(job.model);
  // Train passes no thread count (the model decides: every core for big fits, in-process for small
  // ones). That is what we measure whenever the machine has no more cores than the peer may use.
  const threads = availableParallelism() <= job.threads ? undefined : job.threads;
  // Kernel threads start as Train starts them, ahead of the fit, and are up before the timed fit
  // (sklearn's BLAS and OpenMP threads likewise start with the process, not in its timed fit).
  const threadsUp = prestartModelThreads(spec, Xtrain.data.length, threads);
  const params = spec.params.parse(job.params) as Record<string, unknown>;
  const task = meta.task;
  const classification = task === "classification";
  const yFit = (y: Float64Array) => (classification ? Int32Array.from(y) : y);
  const warnings: string[] = [];
  let backend = "cpu";
  const ctx = {
    task,
    nClasses: meta.nClasses,
    params,
    seed: job.seed,
    threads,
    featureNames: meta.featureNames,
    classNames: meta.classes ?? undefined,
    warn: (m: string) => warnings.push(m),
    onBackend: (name: string) => (backend = name),
  };

  // Warm-up on a slice (the training rows are shuffled, so a prefix holds every class), several
  // times: V8 compiles a function to optimised code only after it has run a while, and on Iris a
  // fit after one warm-up still spends most of its time compiling (logistic regression: 22 ms for
  // the second fit, 1-2 ms from the fourth).
  const w = Math.min(job.warmupRows, Xtrain.rows);
  for (let run = 0; run < job.warmupRuns; run++) {
    const warmState = await fitModel(spec, headRows(Xtrain, w), yFit(ytrain.subarray(0, w)), ctx);
    spec.predict(warmState, headRows(Xtest, Math.min(w, Xtest.rows)));
  }
  warnings.length = 0;
  await threadsUp;

  const y = yFit(ytrain);
  let t = performance.now();
  const state = await fitModel(spec, Xtrain, y, ctx);
  const fitS = (performance.now() - t) / 1000;

  const out = spec.predict(state, Xtest);
  // Peak memory after the fit and one predict: the timed predicts add only garbage that the next
  // collection takes (a second of Iris predicts raised the high-water mark by ~70 MB).
  const maxRssMb = peakRssMb();
  const k = meta.nClasses;
  const predicted = classification ? argmax(out, Xtest.rows, k) : null;
  const score = classification ? accuracy(Int32Array.from(ytest), predicted!) : r2Score(ytest, out).value;

  const iterations = (state as { iterations?: unknown } | null)?.iterations;
  const result: OursResult = { score, fitS, predictS: Number.NaN, maxRssMb, backend, warnings, onnx: null };
  if (typeof iterations === "number") result.iterations = iterations;
  const timed: Timed = { predict: () => spec.predict(state, Xtest) };
  if (job.onnx) {
    // The runner tells a death past this line (out of memory) from one in the fit, and runs the case again without ONNX.
    process.stdout.write("STAGE onnx\n");
    try {
      const onnx = await onnxSession(job, meta, state, Xtest, ytest, predicted, out);
      result.onnx = onnx.result;
      timed.onnx = onnx.run;
    } catch (error) {
      result.onnxError = (error as Error).message.split("\n")[0]!.slice(0, 300);
    }
  }
  const samples = await serveTimingRounds(timed);
  result.predictS = median(samples.predict!);
  if (result.onnx) result.onnx.predictS = median(samples.onnx!);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** The exported model's session, checked against the in-process predictions, and its timed call (predictS is filled in later). */
async function onnxSession(
  job: OursJob,
  meta: ReturnType<typeof readDataset>["meta"],
  state: unknown,
  Xtest: Matrix,
  ytest: Float64Array,
  predicted: Int32Array | null,
  inProcess: Float64Array,
): Promise<{ result: NonNullable<OursResult["onnx"]>; run: () => Promise<unknown> }> {
  const { exportToOnnx } = await import("../../server/ml/onnx/export");
  const ort = await import("onnxruntime-node");
  const classification = meta.task === "classification";
  const model: StudioModel = {
    format: "studio-model",
    version: 1,
    algorithm: job.model,
    task: meta.task,
    target: "y",
    // Integer class names are a number target, as scikit-learn sees them: the export's label is then int64.
    targetKind: classification && !meta.classes!.every((c) => /^-?\d+$/.test(c)) ? "string" : "number",
    features: meta.featureNames,
    classes: meta.classes,
    state,
    trainedOn: { rows: meta.trainRows },
    backend: "cpu",
  };
  let t = performance.now();
  const { bytes } = exportToOnnx(model);
  const exportS = (performance.now() - t) / 1000;
  t = performance.now();
  const session: InferenceSession = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "all", intraOpNumThreads: job.threads });
  const sessionS = (performance.now() - t) / 1000;
  // Only the output that sklearn's predict gives (labels / values); probabilities are one more fetch.
  const fetch = [classification ? "label" : "variable"];
  const runOnce = (data: Float64Array, rows: number) => session.run({ input: new ort.Tensor("float64", data, [rows, Xtest.cols]) }, fetch);
  const batch = job.onnxBatchRows ?? Xtest.rows;
  // One call when the batch holds every row: no wrapper's promise in the timing (~0.6 us on Iris).
  const run: (X: Matrix) => Promise<Record<string, Tensor>> =
    batch >= Xtest.rows
      ? (X) => runOnce(X.data, X.rows)
      : async (X) => {
          const parts: Record<string, Tensor>[] = [];
          for (let i = 0; i < X.rows; i += batch) {
            const n = Math.min(batch, X.rows - i);
            parts.push(await runOnce(X.data.subarray(i * X.cols, (i + n) * X.cols), n));
          }
          const name = fetch[0]!;
          const data = parts.flatMap((p) => Array.from(p[name]!.data as ArrayLike<string | number>));
          return { [name]: { data } as unknown as Tensor };
        };

  const res = await run(Xtest);
  const timed = () => run(Xtest);
  const predictS = Number.NaN; // timed in the runner's rounds

  if (classification) {
    const classes = meta.classes!;
    const labels = Array.from((res.label as Tensor).data as ArrayLike<string | bigint>, String);
    const index = new Map(classes.map((c, i) => [c, i]));
    const onnxPred = Int32Array.from(labels, (l) => index.get(l) ?? -1);
    let disagreement = 0;
    for (let i = 0; i < onnxPred.length; i++) if (onnxPred[i] !== predicted![i]) disagreement++;
    return { result: { predictS, exportS, sessionS, bytes: bytes.byteLength, score: accuracy(Int32Array.from(ytest), onnxPred), disagreement }, run: timed };
  }
  const values = Float64Array.from((res.variable as Tensor).data as Float32Array);
  let disagreement = 0;
  for (let i = 0; i < values.length; i++) disagreement = Math.max(disagreement, Math.abs(values[i]! - inProcess[i]!));
  return { result: { predictS, exportS, sessionS, bytes: bytes.byteLength, score: r2Score(ytest, values).value, disagreement }, run: timed };
}

function headRows(X: Matrix, n: number): Matrix {
  return { data: X.data.subarray(0, n * X.cols), rows: n, cols: X.cols };
}

function argmax(p: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

main().then(
  // Worker threads or tf may keep the event loop alive; the result is out, so leave.
  () => process.exit(0),
  (error) => {
    process.stdout.write(`RESULT ${JSON.stringify({ error: (error as Error).stack ?? String(error) })}\n`);
    process.exit(1);
  },
);
