/**
 * Fit-time check of the forest and the boosted trees against scikit-learn on the same data:
 *
 *   npx tsx server/ml/trees/speed-check.ts [--rows 100000] [--cols 50] [--trees 100] [--iters 100]
 *                                          [--only rf|hgb] [--no-sklearn] [--python /usr/bin/python3]
 *
 * Generates rows + 25% held-out rows deterministically (synthetic.ts, binary), writes them to a
 * temporary CSV for scikit-learn, and times, alternating ours and theirs on the same rows:
 * RandomForestClassifier(n_estimators=trees, n_jobs=2) vs fitRandomForestClassifier (threads =
 * os.availableParallelism()), and HistGradientBoostingClassifier(max_iter=iters) (its default
 * early stopping, on above 10 000 rows, as ours) vs fitGradientBoostingClassifier. Prints fit
 * seconds (wall and CPU), held-out accuracy and the wall-time ratio ours / scikit-learn. Loading
 * the CSV is not timed. On a shared 2-core box the wall times swing with other load, and
 * scikit-learn's OpenMP histogram threads degrade badly under contention (its boosting took
 * 2.3 s to 70 s on the same data here); run it a few times and on a quiet machine.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { takeRows } from "../matrix";
import { fitGradientBoostingClassifier } from "./gradient-boosting";
import { predictClasses } from "./predict";
import { fitRandomForestClassifier } from "./random-forest";
import { makeSyntheticData, toCsv } from "./synthetic";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const rows = Number(arg("rows", "100000"));
const cols = Number(arg("cols", "50"));
const nTrees = Number(arg("trees", "100"));
const iters = Number(arg("iters", "100"));
const only = arg("only", "");
const python = arg("python", "/usr/bin/python3");
const withSklearn = !process.argv.includes("--no-sklearn");
const threads = availableParallelism();

const test = Math.round(rows / 4);
const { X, y } = makeSyntheticData(rows + test, cols, 7);
const trainRows = Int32Array.from({ length: rows }, (_, i) => i);
const testRows = Int32Array.from({ length: test }, (_, i) => rows + i);
const Xtr = takeRows(X, trainRows);
const ytr = y.slice(0, rows);
const Xte = takeRows(X, testRows);
const yte = y.slice(rows);

const dir = mkdtempSync(join(tmpdir(), "tree-speed-"));
const csv = join(dir, "data.csv");
if (withSklearn) writeFileSync(csv, toCsv(X, y));

const PY = `
import sys, time, json, resource, numpy as np
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
model, rows, trees, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = np.loadtxt(sys.argv[5], delimiter=",", skiprows=1)
X, y = d[:, :-1], d[:, -1].astype(int)
Xtr, ytr, Xte, yte = X[:rows], y[:rows], X[rows:], y[rows:]
m = RandomForestClassifier(n_estimators=trees, n_jobs=2, random_state=0) if model == "rf" else HistGradientBoostingClassifier(max_iter=iters, random_state=0)
r0 = resource.getrusage(resource.RUSAGE_SELF); t = time.perf_counter(); m.fit(Xtr, ytr); fit = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(json.dumps({"fit": fit, "cpu": cpu, "acc": float(m.score(Xte, yte)), "iters": int(getattr(m, "n_iter_", trees))}))
`;

interface Timing {
  /** Wall-clock seconds of the fit. */
  fit: number;
  /** CPU seconds of the fit, all threads (less sensitive to other load on the machine). */
  cpu: number;
  acc: number;
  iters: number;
}

function sklearn(model: "rf" | "hgb"): Timing | null {
  if (!withSklearn) return null;
  const out = execFileSync(python, ["-c", PY, model, String(rows), String(nTrees), String(iters), csv], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as Timing;
}

function accuracy(p: Int32Array): number {
  let hit = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === yte[i]) hit++;
  return hit / p.length;
}

/** process.cpuUsage counts every thread of the process, worker threads included. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
}

const fmt = (s: number): string => s.toFixed(2).padStart(8);
function report(name: string, ours: Timing, peer: Timing | null): void {
  const side = (t: Timing): string => `${fmt(t.fit)} s (cpu ${fmt(t.cpu)} s, acc ${t.acc.toFixed(4)}, ${t.iters} it)`;
  const line = peer
    ? `${name.padEnd(28)} ours ${side(ours)}   sklearn ${side(peer)}   ratio ${(ours.fit / peer.fit).toFixed(2)}`
    : `${name.padEnd(28)} ours ${side(ours)}`;
  console.log(line);
}

console.log(`data: ${rows} x ${cols} (+${test} held out), binary; ${threads} threads; sklearn via ${withSklearn ? python : "(skipped)"}`);
try {
  if (only !== "hgb") {
    const c = process.cpuUsage();
    const t = performance.now();
    const rf = await fitRandomForestClassifier(Xtr, ytr, 2, { nEstimators: nTrees, seed: 0 });
    const fit = (performance.now() - t) / 1000;
    report(`random forest (${nTrees} trees)`, { fit, cpu: cpuSeconds(c), acc: accuracy(predictClasses(rf, Xte)), iters: nTrees }, sklearn("rf"));
  }
  if (only !== "rf") {
    const c = process.cpuUsage();
    const t = performance.now();
    const hgb = await fitGradientBoostingClassifier(Xtr, ytr, 2, { maxIter: iters, seed: 0 });
    const fit = (performance.now() - t) / 1000;
    report(`gradient boosting (${iters} it)`, { fit, cpu: cpuSeconds(c), acc: accuracy(predictClasses(hgb, Xte)), iters: hgb.trees.length }, sklearn("hgb"));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
