import { eq } from "drizzle-orm";
import { z } from "zod";
import { artifacts } from "../../db/schema";
import { readTablePage } from "../artifacts/table";
import { NotFoundError, publicProcedure, router } from "../trpc/init";

const hash = z.string().regex(/^[0-9a-f]{64}$/, "an artifact hash is 64 hex characters");

function known(ctx: { studio: { db: import("../../db/client").StudioDb; store: import("../artifacts/store").ArtifactStore } }, h: string) {
  const row = ctx.studio.db.select().from(artifacts).where(eq(artifacts.hash, h)).get();
  if (!row || !ctx.studio.store.has(h)) throw new NotFoundError(`Artifact ${h.slice(0, 12)} is not in this studio's store.`);
  return row;
}

export const artifactsRouter = router({
  /** One page of a table artifact; only the record batches that overlap the page are decoded. */
  tablePage: publicProcedure
    .input(z.object({ hash, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => {
      const row = known(ctx, input.hash);
      if (row.kind !== "table") throw new NotFoundError(`Artifact ${input.hash.slice(0, 12)} is a ${row.kind}, not a table.`);
      return readTablePage(ctx.studio.store.read(input.hash), input.offset, input.limit);
    }),

  json: publicProcedure.input(z.object({ hash })).query(({ ctx, input }) => {
    const row = known(ctx, input.hash);
    if (row.kind === "table") throw new NotFoundError("Tables are read a page at a time with artifacts.tablePage.");
    return ctx.studio.store.readJson<unknown>(input.hash);
  }),
});
