import { createCallerFactory, router } from "../trpc/init";
import { artifactsRouter } from "./artifacts";
import { catalogRouter } from "./catalog";
import { pipelinesRouter } from "./pipelines";
import { runsRouter } from "./runs";

export const appRouter = router({
  catalog: catalogRouter,
  pipelines: pipelinesRouter,
  runs: runsRouter,
  artifacts: artifactsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
