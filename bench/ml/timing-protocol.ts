/**
 * The predict-timing protocol between bench/ml/run.ts and one side's process (ours.ts speaks it
 * here, sklearn_peer.py in Python). Once fitted, a side prints `READY <kinds as JSON>` (what it
 * can time: "predict", and "onnx" for ours) and then answers each line on its stdin:
 *
 *   warm <kind> <seconds>   untimed runs for that long (at least one), answered `OK`
 *   time <kind> <seconds>   timed runs for that long (at least one), kept, answered
 *                           `OK <seconds timed so far for that kind>`
 *   end                     no answer: the side prints its `RESULT` line, medians included
 *
 * The runner hands out short blocks to both sides in turn, so that this machine's slow and fast
 * spells (the same call took 19 or 31 us a few minutes apart) fall on both sides alike, where one
 * side's whole second of runs after the other's used to catch whichever spell came.
 */
import { createInterface } from "node:readline";

export type Timed = Record<string, () => unknown>;

/** Serves the runner's commands until `end`; returns each kind's timed runs, in seconds. */
export async function serveTimingRounds(timed: Timed): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(timed).map((k) => [k, []]));
  process.stdout.write(`READY ${JSON.stringify(Object.keys(timed))}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [verb, kind = "", seconds = ""] = line.trim().split(/\s+/);
    if (verb === "end") break;
    const f = timed[kind];
    const budgetMs = Number(seconds) * 1000;
    if ((verb !== "warm" && verb !== "time") || !f || !(budgetMs >= 0)) throw new Error(`timing protocol: unexpected line '${line}'`);
    const kept = samples[kind]!;
    for (const start = performance.now(); ; ) {
      const t = performance.now();
      await f();
      if (verb === "time") kept.push((performance.now() - t) / 1000);
      if (performance.now() - start >= budgetMs) break;
    }
    process.stdout.write(verb === "time" ? `OK ${kept.reduce((a, b) => a + b, 0)}\n` : "OK\n");
  }
  return samples;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
