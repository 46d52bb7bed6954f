import { catalog } from "../stages";
import { publicProcedure, router } from "../trpc/init";

export const catalogRouter = router({
  list: publicProcedure.query(() => catalog()),
});
