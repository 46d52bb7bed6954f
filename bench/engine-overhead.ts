/**
 * Engine overhead: a 200-node pipeline of trivial stages (each adds two numbers read from JSON
 * artifacts), run cold and then fully cached, with the worker processes already started.
 * The peer is the physical floor measured in the same run: the same 200 jobs sent to a bare
 * child process over the same IPC channel, with no engine, database, cache or artifact store.
 *
 *   npm run bench            (STUDIO_BENCH_NODES=400 for a bigger graph)
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { doc, startTestStudio } from "../server/engine/engine-harness";

const NODES = Number(process.env.STUDIO_BENCH_NODES ?? 200);
const CHAINS = 10;
const WORKERS = Number(process.env.STUDIO_WORKERS ?? 2);

function pipeline(plus: number) {
  const nodes: Parameters<typeof doc>[0] = [{ id: "n0", stage: "test-value", params: { value: 1 } }];
  const edges: string[] = [];
  for (let i = 1; i < NODES; i++) {
    nodes.push({ id: `n${i}`, stage: "test-add", params: { plus } });
    // CHAINS parallel chains hanging off the root: branches the pool can run side by side.
    const parent = i <= CHAINS ? 0 : i - CHAINS;
    edges.push(`n${parent}.out->n${i}.a`);
  }
  return doc(nodes, edges, `bench ${NODES} nodes`);
}

/** The floor: round trips of the same job count over Node IPC to ready child processes. */
async function bareIpc(jobs: number, workers: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-ipc-"));
  const child = path.join(dir, "echo.mjs");
  writeFileSync(child, "process.on('message', (m) => process.send({ done: m.id, value: m.a + m.b }));\nprocess.send('ready');\n");
  const procs = await Promise.all(
    Array.from({ length: workers }, () => new Promise<ReturnType<typeof fork>>((resolve) => {
      const p = fork(child);
      p.once("message", () => resolve(p));
    })),
  );
  const start = performance.now();
  let next = 0;
  await Promise.all(
    procs.map(async (p) => {
      while (next < jobs) {
        const id = next++;
        await new Promise<void>((resolve) => {
          p.once("message", () => resolve());
          p.send({ id, a: id, b: 1 });
        });
      }
    }),
  );
  const elapsed = performance.now() - start;
  procs.forEach((p) => p.kill());
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

async function main() {
  const t = await startTestStudio({ workers: WORKERS });
  try {
    const { pipelineId, versionId } = t.save(pipeline(0));
    // Warm-up on a different param, so the measured cold run misses the cache everywhere.
    await t.run(t.save(pipeline(-1), pipelineId).versionId);
    const cold = t.save(pipeline(0), pipelineId).versionId;
    let start = performance.now();
    const first = await t.run(cold);
    const coldMs = performance.now() - start;
    const stageMs = Object.values(first.nodes).reduce((sum, n) => sum + (n.durationMs ?? 0), 0);
    start = performance.now();
    const second = await t.run(cold);
    const cachedMs = performance.now() - start;
    const floorMs = await bareIpc(NODES, WORKERS);

    if (first.run.status !== "succeeded" || Object.values(second.nodes).some((n) => n.status !== "cached")) {
      throw new Error("benchmark pipeline did not run as expected");
    }
    void versionId;
    const perNode = (ms: number) => (ms / NODES).toFixed(3);
    console.log(`engine overhead: ${NODES} trivial nodes, ${WORKERS} workers (node ${process.version})`);
    console.log("");
    console.log("| measurement | total ms | ms per node | goal |");
    console.log("|---|---:|---:|---|");
    console.log(`| cold run (studio) | ${coldMs.toFixed(1)} | ${perNode(coldMs)} | < 5 ms per node |`);
    console.log(`| cold run, time inside stages (sum over workers) | ${stageMs.toFixed(1)} | ${perNode(stageMs)} | |`);
    console.log(`| bare IPC round trips (peer floor) | ${floorMs.toFixed(1)} | ${perNode(floorMs)} | |`);
    console.log(`| fully cached re-run | ${cachedMs.toFixed(1)} | ${perNode(cachedMs)} | < 200 ms total |`);
    console.log("");
    console.log(`ratio cold run / bare IPC floor: ${(coldMs / floorMs).toFixed(1)}x`);
    console.log(`studio overhead per node cold (wall per node, minus the floor): ${((coldMs - floorMs) / NODES).toFixed(3)} ms`);
  } finally {
    await t.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
