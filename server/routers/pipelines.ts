import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { pipelineVersions, pipelines, runs } from "../../db/schema";
import { parsePipelineDocument } from "../engine/pipeline-doc";
import { validatePipeline } from "../engine/validate";
import { createPipeline, latestVersion, saveVersion, versionCounts } from "../pipelines";
import { getStage } from "../stages";
import { NotFoundError, publicProcedure, router } from "../trpc/init";

const id = z.number().int().positive();

export const pipelinesRouter = router({
  list: publicProcedure.query(({ ctx }) => {
    const { db, engine } = ctx.studio;
    const counts = versionCounts(db);
    return db
      .select()
      .from(pipelines)
      .orderBy(desc(pipelines.updatedAt))
      .all()
      .map((p) => {
        const lastRun = db.select({ id: runs.id }).from(runs).where(eq(runs.pipelineId, p.id)).orderBy(desc(runs.id)).limit(1).get();
        return {
          id: p.id,
          name: p.name,
          updatedAt: p.updatedAt.getTime(),
          versionCount: counts.get(p.id) ?? 0,
          lastRun: lastRun ? engine.runSummary(lastRun.id) : null,
        };
      });
  }),

  get: publicProcedure.input(z.object({ id, versionId: id.optional() })).query(({ ctx, input }) => {
    const { db } = ctx.studio;
    const pipeline = db.select().from(pipelines).where(eq(pipelines.id, input.id)).get();
    if (!pipeline) throw new NotFoundError(`Pipeline ${input.id} does not exist.`);
    const version = input.versionId
      ? db.select().from(pipelineVersions).where(eq(pipelineVersions.id, input.versionId)).get()
      : latestVersion(db, input.id);
    if (!version || version.pipelineId !== input.id) throw new NotFoundError(`Pipeline ${input.id} has no such version.`);
    return {
      id: pipeline.id,
      name: pipeline.name,
      version: { id: version.id, number: version.number, createdAt: version.createdAt.getTime() },
      document: parsePipelineDocument(version.document),
    };
  }),

  create: publicProcedure
    .input(z.object({ name: z.string().trim().min(1).max(200), document: z.unknown().optional() }))
    .mutation(({ ctx, input }) => {
      const document = input.document === undefined ? undefined : parsePipelineDocument(input.document);
      return { id: createPipeline(ctx.studio.db, input.name, document).id };
    }),

  save: publicProcedure.input(z.object({ id, document: z.unknown() })).mutation(({ ctx, input }) => {
    const { db } = ctx.studio;
    if (!db.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.id, input.id)).get()) {
      throw new NotFoundError(`Pipeline ${input.id} does not exist.`);
    }
    return saveVersion(db, input.id, input.document);
  }),

  versions: publicProcedure.input(z.object({ id })).query(({ ctx, input }) =>
    ctx.studio.db
      .select({ id: pipelineVersions.id, number: pipelineVersions.number, createdAt: pipelineVersions.createdAt })
      .from(pipelineVersions)
      .where(eq(pipelineVersions.pipelineId, input.id))
      .orderBy(desc(pipelineVersions.number))
      .all()
      .map((v) => ({ ...v, createdAt: v.createdAt.getTime() })),
  ),

  validate: publicProcedure.input(z.object({ document: z.unknown() })).query(({ input }) => ({
    issues: validatePipeline(parsePipelineDocument(input.document), getStage),
  })),
});
