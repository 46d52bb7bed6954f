import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PipelineDocument } from "./pipeline-doc";
import { createPipeline, saveVersion } from "../pipelines";
import { startStudio, type Studio } from "../studio";

export const TEST_STAGES = path.join(import.meta.dirname, "test-stages.ts");

/**
 * A real studio (SQLite file, artifact store, worker processes) in a temp folder, with the test
 * stages loaded. For integration tests of the engine, the routers and the CLI.
 */
export async function startTestStudio(options: { workers?: number; dataDir?: string; env?: Record<string, string | undefined> } = {}) {
  process.env.STUDIO_STAGE_MODULES = TEST_STAGES;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "studio-test-"));
  const studio = await startStudio({ dataDir, workers: options.workers ?? 2, workerEnv: options.env });
  return {
    studio,
    dataDir,
    /** Saves `doc` as a pipeline (new, or a new version of `pipelineId`) and returns ids. */
    save(doc: PipelineDocument, pipelineId?: number) {
      if (pipelineId === undefined) {
        const created = createPipeline(studio.db, doc.name, doc);
        return { pipelineId: created.id, versionId: created.versionId };
      }
      return { pipelineId, versionId: saveVersion(studio.db, pipelineId, doc).versionId };
    },
    async run(versionId: number, forceFrom?: string) {
      const runId = studio.engine.startRun({ pipelineVersionId: versionId, trigger: "api", forceFrom });
      const run = await studio.engine.waitForRun(runId);
      const nodes = Object.fromEntries(studio.engine.nodeViews(runId).map((n) => [n.nodeId, n]));
      return { runId, run, nodes };
    },
    async stop(removeData = true) {
      await studio.stop();
      if (removeData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestStudio = Awaited<ReturnType<typeof startTestStudio>>;

/** Builds a document from terse node and edge lists: edges as "a.out->b.a". */
export function doc(
  nodes: { id: string; stage: string; params?: Record<string, unknown>; settings?: PipelineDocument["nodes"][number]["settings"] }[],
  edges: string[] = [],
  name = "test pipeline",
): PipelineDocument {
  return {
    schema: 1,
    name,
    nodes: nodes.map((n, i) => ({ id: n.id, stage: n.stage, stageVersion: 1, params: n.params ?? {}, position: { x: i * 200, y: 0 }, settings: n.settings })),
    edges: edges.map((spec, i) => {
      const [from, to] = spec.split("->");
      const [source, sourcePort] = from.split(".");
      const [target, targetPort] = to.split(".");
      return { id: `e${i}`, source, sourcePort, target, targetPort };
    }),
  };
}

