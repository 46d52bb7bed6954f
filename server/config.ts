import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default("127.0.0.1"),
  dataDir: z.string().min(1).default("data"),
  workers: z.coerce.number().int().min(1).max(256).optional(),
  token: z.string().min(16, "STUDIO_TOKEN must be at least 16 characters").optional(),
  dev: z.boolean().default(false),
});
export type StudioConfig = Omit<z.output<typeof configSchema>, "workers"> & { workers: number };

/** Reads settings from flags first, then STUDIO_* / PORT environment variables, then defaults. */
export function resolveConfig(
  flags: Record<string, string | boolean | undefined>,
  env: Record<string, string | undefined> = process.env,
): StudioConfig {
  const raw = {
    port: flags.port ?? env.PORT ?? env.STUDIO_PORT,
    host: flags.host ?? env.STUDIO_HOST,
    dataDir: flags.data ?? env.STUDIO_DATA_DIR,
    workers: flags.workers ?? env.STUDIO_WORKERS,
    token: env.STUDIO_TOKEN || undefined,
    dev: flags.dev === true,
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid setting ${issue.path.join(".")}: ${issue.message}`);
  }
  const config = parsed.data;
  if (!isLoopback(config.host) && !config.token) {
    throw new Error(
      `Refusing to listen on ${config.host} without a token: anyone who can reach it could run code. ` +
        "Set STUDIO_TOKEN (16+ characters) or bind to 127.0.0.1.",
    );
  }
  return {
    ...config,
    dataDir: path.resolve(config.dataDir),
    workers: config.workers ?? Math.max(2, availableParallelism()),
  };
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}
