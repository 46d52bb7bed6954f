import { createHash } from "node:crypto";
import { desc, eq, max, sql } from "drizzle-orm";
import type { StudioDb } from "../db/client";
import { pipelineVersions, pipelines, projects } from "../db/schema";
import { canonicalJson } from "./engine/cache-key";
import { parsePipelineDocument, type PipelineDocument } from "./engine/pipeline-doc";

/** Pipelines and their immutable versions: the storage rules shared by the API and the CLI. */

export function defaultProjectId(db: StudioDb): number {
  const existing = db.select({ id: projects.id }).from(projects).orderBy(projects.id).limit(1).get();
  if (existing) return existing.id;
  return db.insert(projects).values({ name: "Default project" }).returning({ id: projects.id }).get().id;
}

export function createPipeline(db: StudioDb, name: string, document?: PipelineDocument): { id: number; versionId: number } {
  const doc = document ?? { schema: 1 as const, name, nodes: [], edges: [] };
  return db.transaction((tx) => {
    const projectId = defaultProjectId(tx as unknown as StudioDb);
    const pipeline = tx
      .insert(pipelines)
      .values({ projectId, name, updatedAt: new Date() })
      .returning({ id: pipelines.id })
      .get();
    const version = saveVersion(tx as unknown as StudioDb, pipeline.id, { ...doc, name });
    return { id: pipeline.id, versionId: version.versionId };
  });
}

/**
 * Saves a document as the pipeline's next version. Saving what the latest version already holds
 * creates nothing, so autosave can call this freely.
 */
export function saveVersion(
  db: StudioDb,
  pipelineId: number,
  input: unknown,
): { versionId: number; number: number; unchanged: boolean } {
  const document = parsePipelineDocument(input);
  const documentHash = createHash("sha256").update(canonicalJson(document)).digest("hex");
  const latest = db
    .select()
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.number))
    .limit(1)
    .get();
  if (latest && latest.documentHash === documentHash) {
    return { versionId: latest.id, number: latest.number, unchanged: true };
  }
  const number = (latest?.number ?? 0) + 1;
  const row = db
    .insert(pipelineVersions)
    .values({ pipelineId, number, document, documentHash })
    .returning({ id: pipelineVersions.id })
    .get();
  db.update(pipelines).set({ updatedAt: new Date(), name: document.name }).where(eq(pipelines.id, pipelineId)).run();
  return { versionId: row.id, number, unchanged: false };
}

export function latestVersion(db: StudioDb, pipelineId: number) {
  return db
    .select()
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.number))
    .limit(1)
    .get();
}

export function versionCounts(db: StudioDb): Map<number, number> {
  const rows = db
    .select({ pipelineId: pipelineVersions.pipelineId, count: sql<number>`count(*)`, last: max(pipelineVersions.number) })
    .from(pipelineVersions)
    .groupBy(pipelineVersions.pipelineId)
    .all();
  return new Map(rows.map((r) => [r.pipelineId, r.count]));
}

/** For the CLI: the pipeline with this document's name, created on first use, at a version holding the document. */
export function importPipeline(db: StudioDb, document: PipelineDocument): { pipelineId: number; versionId: number; number: number } {
  const existing = db.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.name, document.name)).limit(1).get();
  if (!existing) {
    const created = createPipeline(db, document.name, document);
    return { pipelineId: created.id, versionId: created.versionId, number: 1 };
  }
  const saved = saveVersion(db, existing.id, document);
  return { pipelineId: existing.id, versionId: saved.versionId, number: saved.number };
}
