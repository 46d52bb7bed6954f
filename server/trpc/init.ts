import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { GraphValidationError } from "../engine/validate";
import { PipelineDocumentError } from "../engine/pipeline-doc";
import type { Studio } from "../studio";

export interface Context {
  studio: Studio;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Typed field errors for forms, as create-t3-app does.
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        issues:
          cause instanceof GraphValidationError ? cause.issues : cause instanceof PipelineDocumentError ? cause.issues : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Domain errors thrown below the API (a missing pipeline, a malformed document) become 4xx
 * responses carrying their message; anything else stays a 500.
 */
export const publicProcedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
    if (cause instanceof PipelineDocumentError || cause instanceof GraphValidationError || cause instanceof ConflictError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
    }
  }
  return result;
});

export class NotFoundError extends Error {}
export class ConflictError extends Error {}
