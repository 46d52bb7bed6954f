/**
 * The one way to fit a registry model: checks that hold for every algorithm (task supported, at
 * least two classes, no more classes than rows, constant columns) and then the model's own fit.
 * Train, Cross-validate, Tune and the tuning threads all call this.
 */
import { availableParallelism } from "node:os";
import { MlInputError } from "../errors";
import { SHARED_MATRIX_MIN_VALUES, type Matrix } from "../matrix";
import { prestartKernelThreads } from "../worker-threads";
import type { FitContext, ModelSpec } from "./types";

/**
 * Starts the kernel threads a model's fit on `values` feature values will use: called before the
 * feature matrix is built, so the threads' start (0.3-0.5 s: an isolate loading its modules)
 * overlaps with that instead of the fit. Settles when they are up. Small fits stay on the calling
 * thread.
 */
export async function prestartModelThreads(spec: Pick<ModelSpec, "kernelThreads">, values: number, threads = availableParallelism()): Promise<void> {
  if (spec.kernelThreads?.length && values >= SHARED_MATRIX_MIN_VALUES && threads > 1) await prestartKernelThreads(threads - 1, spec.kernelThreads);
}

export async function fitModel<State>(
  spec: ModelSpec<any, State>,
  X: Matrix,
  y: Int32Array | Float64Array,
  ctx: FitContext<Record<string, unknown>>,
): Promise<State> {
  if (!spec.tasks.includes(ctx.task)) {
    throw new MlInputError(`${spec.title} does not do ${ctx.task}; it does ${spec.tasks.join(" and ")}`, { param: "model" });
  }
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} targets; they must match`);
  if (X.rows < 2) throw new MlInputError(`the training data has ${X.rows} row(s); a model needs at least 2`);
  if (ctx.task === "classification") {
    if (ctx.nClasses > X.rows) {
      throw new MlInputError(
        `there are ${ctx.nClasses} classes but only ${X.rows} training rows, so some classes cannot have a single example; ` +
          "use more rows (fewer folds), or a target with fewer classes",
        { param: "target" },
      );
    }
    const seen = new Uint8Array(ctx.nClasses);
    let present = 0;
    for (let i = 0; i < y.length; i++) {
      const c = y[i]!;
      if (!seen[c]) {
        seen[c] = 1;
        present++;
      }
    }
    if (present < 2) {
      const c = y[0]!;
      const name = ctx.classNames?.[c] !== undefined ? `'${ctx.classNames[c]}'` : `class index ${c}`;
      throw new MlInputError(
        `the training rows hold a single class (${name}); a classifier needs at least two. Check the target column, or stratify the split by it`,
        { param: "target" },
      );
    }
  }
  if (spec.constantColumns === "warn" && ctx.warn) {
    const constant = constantColumns(X).map((j) => (ctx.featureNames?.[j] !== undefined ? `'${ctx.featureNames[j]}'` : `column ${j}`));
    if (constant.length) {
      ctx.warn(
        `${constant.length === 1 ? "Column" : "Columns"} ${constant.slice(0, 12).join(", ")}${constant.length > 12 ? ` and ${constant.length - 12} more` : ""} ` +
          `${constant.length === 1 ? "is" : "are"} constant in the training rows and carry no information for ${spec.title.toLowerCase()}; ` +
          'leave them out ("Columns to leave out") or drop them with Clean.',
      );
    }
  }
  return await spec.fit(X, y, ctx);
}

/** Indices of the columns whose values are all equal. */
export function constantColumns(X: Matrix): number[] {
  const { rows, cols, data } = X;
  if (rows === 0) return [];
  const varying = new Uint8Array(cols);
  let left = cols;
  for (let i = 1; i < rows && left > 0; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      if (!varying[j] && data[o + j] !== data[j]) {
        varying[j] = 1;
        left--;
      }
    }
  }
  const out: number[] = [];
  for (let j = 0; j < cols; j++) if (!varying[j]) out.push(j);
  return out;
}
