/**
 * One tree of a forest from its index alone: what a worker thread runs. Tree i draws its bootstrap
 * sample and its feature choices from the seed derived from (seed, i), so the forest is the same
 * whichever thread grows which tree and in what order. (The single decision tree draws with
 * scikit-learn's generator instead: decision-tree.ts.)
 */
import { Rng } from "../rng";
import type { CartGrower, CartData, CartParams } from "./cart";
import { deriveSeed, type TypedTree } from "./common";

export interface ForestSpec {
  params: CartParams;
  bootstrap: boolean;
  seed: number;
}

/** Seed stream used for the binning subsample; trees use streams 0..nEstimators-1. */
export const BINNING_STREAM = 0x7fffffff;

export function growForestTree(grower: CartGrower, data: CartData, spec: ForestSpec, treeIndex: number): TypedTree {
  const rng = new Rng(deriveSeed(spec.seed, treeIndex));
  const draws = { randInt: (low: number, high: number) => low + rng.int(high - low) };
  if (!spec.bootstrap) return grower.grow(null, null, draws);
  // sklearn draws n row indices with replacement and weights each row by its draw count.
  const n = data.nRows;
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
  let m = 0;
  for (let i = 0; i < n; i++) if (counts[i]! > 0) m++;
  const rows = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (counts[i]! > 0) rows[k++] = i;
  return grower.grow(rows, counts, draws);
}
