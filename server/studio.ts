import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { openDatabase, type StudioDb } from "../db/client";
import { pipelines } from "../db/schema";
import { ArtifactStore } from "./artifacts/store";
import { RunEngine } from "./engine/run-engine";
import { parsePipelineDocument } from "./engine/pipeline-doc";
import { allowedRoots } from "./files";
import { createPipeline } from "./pipelines";
import { getStage } from "./stages";
import { loadStagePlugins } from "./stages/plugins";
import { assignDevices, deviceLabel, detectGpus } from "./workers/devices";
import { WorkerPool } from "./workers/pool";

export interface Studio {
  db: StudioDb;
  store: ArtifactStore;
  pool: WorkerPool;
  engine: RunEngine;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StudioOptions {
  dataDir: string;
  workers: number;
  /** Seed the demo pipelines into an empty database. */
  seedDemo?: boolean;
  workerEnv?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export const EXAMPLES_DIR = path.join(import.meta.dirname, "..", "examples");

/**
 * The composition root: database, artifact store, worker pool and engine for one data folder.
 * The web server, the CLI and the integration tests all start the studio through here.
 */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const log = options.log ?? (() => {});
  await loadStagePlugins();
  const db = openDatabase(path.join(options.dataDir, "studio.db"));
  const store = new ArtifactStore(options.dataDir);
  const fileRoots = allowedRoots(options.dataDir);
  const gpus = await detectGpus();
  const devices = assignDevices(options.workers, gpus);
  const pool = new WorkerPool({ devices, dataDir: options.dataDir, fileRoots, env: options.workerEnv });
  await pool.start();
  log(`workers: ${devices.map(deviceLabel).join(", ")}`);
  const engine = new RunEngine({ db, pool, store, lookup: getStage, fileRoots });
  const interrupted = engine.recoverInterrupted();
  if (interrupted.length) log(`marked ${interrupted.length} run(s) interrupted by the last stop: ${interrupted.join(", ")}`);
  if (options.seedDemo) seedDemoPipelines(db, log);
  return {
    db,
    store,
    pool,
    engine,
    dataDir: options.dataDir,
    async stop() {
      engine.cancelAll();
      await pool.stop();
      db.$client.close();
    },
  };
}

/** First start: every examples/*.pipeline.json becomes a pipeline, so there is something to open. */
export function seedDemoPipelines(db: StudioDb, log: (message: string) => void = () => {}): void {
  if (db.select({ id: pipelines.id }).from(pipelines).limit(1).get()) return;
  const files = readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".pipeline.json"))
    .sort();
  for (const file of files) {
    const doc = parsePipelineDocument(readFileSync(path.join(EXAMPLES_DIR, file), "utf8"), file);
    createPipeline(db, doc.name, doc);
    log(`seeded demo pipeline "${doc.name}"`);
  }
}
