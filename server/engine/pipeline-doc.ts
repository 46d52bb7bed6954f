import { z } from "zod";

/**
 * The pipeline document (FORMATS.md §6). Handle ids are port names. `label` and `settings` are
 * optional additions a reader that does not know them can ignore.
 */
export const CURRENT_SCHEMA = 1;

const id = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "ids use letters, digits, '_', '-', '.' (at most 64)");

export const nodeSettingsSchema = z.object({
  /** Kill the stage and fail the node after this many seconds. */
  timeoutSeconds: z.number().positive().max(7 * 24 * 3600).optional(),
  /** How many times to re-run the node after a failure before failing the run. */
  retries: z.number().int().min(0).max(10).optional(),
});

export const pipelineNodeSchema = z.object({
  id,
  stage: z.string().min(1),
  stageVersion: z.number().int().positive(),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  label: z.string().max(120).optional(),
  settings: nodeSettingsSchema.optional(),
});

export const pipelineEdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.string().min(1),
  target: id,
  targetPort: z.string().min(1),
});

export const pipelineDocumentSchema = z.object({
  schema: z.literal(CURRENT_SCHEMA),
  name: z.string().min(1).max(200),
  nodes: z.array(pipelineNodeSchema),
  edges: z.array(pipelineEdgeSchema),
});

export type PipelineNode = z.infer<typeof pipelineNodeSchema>;
export type PipelineEdge = z.infer<typeof pipelineEdgeSchema>;
export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;

/**
 * Upgrades from schema N to N + 1, keyed by N. Schema 1 is the first published format, so the
 * table is empty; each future format change adds one entry and a test for it.
 */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export class PipelineDocumentError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "PipelineDocumentError";
  }
}

/** Parses JSON text or a value into a current-schema document, migrating older schemas. */
export function parsePipelineDocument(input: unknown, source = "pipeline document"): PipelineDocument {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new PipelineDocumentError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PipelineDocumentError(`${source} must be a JSON object with "schema", "name", "nodes" and "edges".`);
  }
  let doc = value as Record<string, unknown>;
  if (typeof doc.schema !== "number" || !Number.isInteger(doc.schema)) {
    throw new PipelineDocumentError(`${source} has no numeric "schema" field; expected "schema": ${CURRENT_SCHEMA}.`);
  }
  let schema: number = doc.schema;
  if (schema > CURRENT_SCHEMA) {
    throw new PipelineDocumentError(
      `${source} uses schema ${schema}, newer than this studio understands (${CURRENT_SCHEMA}); upgrade the studio.`,
    );
  }
  while (schema < CURRENT_SCHEMA) {
    const migrate = MIGRATIONS[schema];
    if (!migrate) throw new PipelineDocumentError(`${source} uses schema ${schema}, which has no upgrade path.`);
    doc = migrate(doc);
    schema = doc.schema as number;
  }
  const parsed = pipelineDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    }));
    const first = issues[0];
    throw new PipelineDocumentError(
      `${source} is malformed at ${first.path || "(root)"}: ${first.message}` +
        (issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : ""),
      issues,
    );
  }
  return parsed.data;
}
