import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ArtifactStore } from "../artifacts/store";
import { makeTable, tableFromArrow, type DataTable, type TableColumn } from "../artifacts/table";
import type { ArtifactRef } from "../artifacts/types";
import { createStageContext, type StageEvent } from "../workers/stage-context";
import type { StageDefinition } from "./types";

/**
 * Runs a stage in-process against a real artifact store in a temp folder: the same context a
 * worker builds, minus the process boundary. For unit tests of stages.
 */
export function stageHarness(fileRoots: string[] = [process.cwd()]) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "studio-stage-test-"));
  const store = new ArtifactStore(dataDir);
  const events: StageEvent[] = [];

  return {
    store,
    dataDir,
    events,
    putTable(table: DataTable): ArtifactRef {
      const ctx = createStageContext({ store, stage: dummyStage, params: {}, inputs: {}, nodeId: "fixture", fileRoots });
      return ctx.writeTable(table);
    },
    putJson(kind: Exclude<ArtifactRef["kind"], "table">, value: unknown): ArtifactRef {
      const ctx = createStageContext({ store, stage: dummyStage, params: {}, inputs: {}, nodeId: "fixture", fileRoots });
      return ctx.writeJson(kind, value);
    },
    readTable(ref: ArtifactRef): DataTable {
      return tableFromArrow(store.read(ref.hash));
    },
    readJson<T = any>(ref: ArtifactRef): T {
      return store.readJson<T>(ref.hash);
    },
    /** Validates params with the stage's schema (as the engine does), then runs it. */
    async run(stage: StageDefinition, params: Record<string, unknown>, inputs: Record<string, ArtifactRef> = {}) {
      const parsed = stage.params.parse(params);
      const ctx = createStageContext({
        store,
        stage,
        params: parsed,
        inputs,
        nodeId: "node_under_test",
        fileRoots: [...fileRoots, dataDir],
        emit: (event) => events.push(event),
      });
      return await stage.run(ctx);
    },
  };
}

/** Shorthand for building a small table in tests: numbers become number columns. */
export function tableOf(columns: Record<string, (number | string | null)[]>): DataTable {
  return makeTable(
    Object.entries(columns).map(([name, values]): TableColumn => {
      const numeric = values.every((v) => v === null || typeof v === "number");
      return numeric
        ? { name, kind: "number", values: Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number))) }
        : { name, kind: "string", values: values.map((v) => (v === null ? null : String(v))) };
    }),
  );
}

const dummyStage = { id: "fixture", inputs: {}, outputs: {} } as unknown as StageDefinition;
