/**
 * The predict-timing protocol between the benchmark runner and a side's process, with a real
 * child process: the runner's SideProcess drives timing-protocol.ts's serveTimingRounds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SideProcess } from "./side-process";

const dir = mkdtempSync(path.join(os.tmpdir(), "timing-protocol-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A side whose one kind, "predict", busy-waits 2 ms a run; its RESULT counts the calls, or says what failed (as ours.ts). */
function startSide(): SideProcess {
  const script = path.join(dir, "side.mts"); // an ES module outside the project, for its top-level await
  writeFileSync(
    script,
    `import { median, serveTimingRounds } from ${JSON.stringify(path.resolve(import.meta.dirname, "timing-protocol.ts"))};
let calls = 0;
try {
  const samples = await serveTimingRounds({ predict: () => { calls++; const t = performance.now(); while (performance.now() - t < 2) {} } });
  process.stdout.write("RESULT " + JSON.stringify({ calls, timed: samples.predict.length, median: median(samples.predict) }) + "\\n");
  process.exit(0);
} catch (error) {
  process.stdout.write("RESULT " + JSON.stringify({ error: error.message }) + "\\n");
  process.exit(1);
}
`,
  );
  return new SideProcess(process.execPath, ["--import", "tsx", script], { cwd: process.cwd(), env: process.env, timeoutMs: 60_000 });
}

describe("the predict-timing protocol", () => {
  it("times the blocks it is handed, keeps only the timed runs and reports their median", async () => {
    const side = startSide();
    expect(await side.ready()).toEqual({ kinds: ["predict"] });
    expect(await side.block("warm", "predict", 0.01)).toBe(0);
    const first = await side.block("time", "predict", 0.02);
    const second = await side.block("time", "predict", 0.02);
    expect(first).toBeGreaterThan(0.015);
    expect(second).toBeGreaterThan(first);
    const result = (await side.finish()) as { calls: number; timed: number; median: number };
    expect(result.timed).toBeGreaterThanOrEqual(2);
    expect(result.calls).toBeGreaterThan(result.timed); // the warm-up runs are not among the samples
    expect(result.median).toBeGreaterThanOrEqual(0.002);
    expect(result.median).toBeLessThan(second);
  });

  it("a side that fails mid-protocol is reported with its error, not waited for", async () => {
    const side = startSide();
    await side.ready();
    const error = await side.block("time", "no-such-kind", 0.01).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toBe("timing protocol: unexpected line 'time no-such-kind 0.01'");
    expect(await side.finish()).toEqual({ error: "exited with 1" });
  });
});
