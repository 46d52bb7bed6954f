import { tracked } from "@trpc/server";
import { and, desc, eq, inArray, max } from "drizzle-orm";
import { z } from "zod";
import { pipelineVersions, runEvents, runs } from "../../db/schema";
import type { RunEvent, RunLogLine } from "../api-types";
import { isTerminal } from "../engine/run-engine";
import { ConflictError, NotFoundError, publicProcedure, router } from "../trpc/init";

const id = z.number().int().positive();
const nodeId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

export const runsRouter = router({
  start: publicProcedure
    .input(z.object({ pipelineId: id, versionId: id, forceFrom: nodeId.optional() }))
    .mutation(({ ctx, input }) => {
      const version = ctx.studio.db.select().from(pipelineVersions).where(eq(pipelineVersions.id, input.versionId)).get();
      if (!version || version.pipelineId !== input.pipelineId) {
        throw new NotFoundError(`Version ${input.versionId} does not belong to pipeline ${input.pipelineId}.`);
      }
      try {
        return { runId: ctx.studio.engine.startRun({ pipelineVersionId: input.versionId, trigger: "ui", forceFrom: input.forceFrom }) };
      } catch (error) {
        throw new ConflictError((error as Error).message);
      }
    }),

  cancel: publicProcedure.input(z.object({ runId: id })).mutation(({ ctx, input }) => ({
    cancelled: ctx.studio.engine.cancel(input.runId),
  })),

  resume: publicProcedure.input(z.object({ runId: id })).mutation(({ ctx, input }) => {
    try {
      return { runId: ctx.studio.engine.resume(input.runId) };
    } catch (error) {
      throw new ConflictError((error as Error).message);
    }
  }),

  list: publicProcedure
    .input(z.object({ pipelineId: id.optional(), limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => {
      const { db, engine } = ctx.studio;
      const rows = db
        .select({ id: runs.id })
        .from(runs)
        .where(input.pipelineId ? eq(runs.pipelineId, input.pipelineId) : undefined)
        .orderBy(desc(runs.id))
        .limit(input.limit)
        .all();
      return rows.map((r) => engine.runSummary(r.id));
    }),

  get: publicProcedure.input(z.object({ runId: id })).query(({ ctx, input }) => {
    const { db, engine } = ctx.studio;
    if (!db.select({ id: runs.id }).from(runs).where(eq(runs.id, input.runId)).get()) {
      throw new NotFoundError(`Run ${input.runId} does not exist.`);
    }
    // Read together (one synchronous block), so a client that subscribes from lastEventId misses
    // nothing and replays nothing the node views already show.
    const lastEventId = db
      .select({ id: max(runEvents.id) })
      .from(runEvents)
      .where(eq(runEvents.runId, input.runId))
      .get()?.id ?? 0;
    return { run: engine.runSummary(input.runId), nodes: engine.nodeViews(input.runId), lastEventId };
  }),

  logs: publicProcedure.input(z.object({ runId: id, nodeId })).query(({ ctx, input }): RunLogLine[] =>
    ctx.studio.db
      .select({ id: runEvents.id, payload: runEvents.payload })
      .from(runEvents)
      .where(and(eq(runEvents.runId, input.runId), eq(runEvents.nodeId, input.nodeId), inArray(runEvents.type, ["log"])))
      .orderBy(runEvents.id)
      .all()
      .map((row) => ({ ...(row.payload as Extract<RunEvent, { type: "log" }>).log, id: row.id })),
  ),

  /** Every event of the run from `lastEventId` on, live until the run ends (SSE, resumable). */
  events: publicProcedure
    .input(z.object({ runId: id, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { engine } = ctx.studio;
      const isFinished = () => !engine.isActive(input.runId) && isTerminal(engine.runSummary(input.runId).status);
      for await (const { id: eventId, event } of engine.events.follow(
        input.runId,
        Number(input.lastEventId ?? 0),
        isFinished,
        signal,
      )) {
        yield tracked(String(eventId), event);
      }
    }),
});
