import { z } from "zod";

/**
 * The params of a stage that reads one user file: a path the studio may read, or a file uploaded
 * in the browser (its artifact hash). Shared so every such stage validates and caches alike.
 */
export function fileSourceParams(options: {
  defaultSource: "path" | "upload";
  defaultPath: string;
  uploadLabel: string;
  /** What the browser's file chooser offers (an <input accept> list: ".csv,.tsv,text/csv"). */
  accept: string;
}) {
  return {
    source: z.enum(["path", "upload"]).default(options.defaultSource).describe("Read the file from"),
    path: z.string().default(options.defaultPath).describe("File path (relative to the studio folder)"),
    uploadId: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "uploadId must be the 64-character hex id of an uploaded file; upload the file again")
      .optional()
      .meta({ accept: options.accept })
      .describe(options.uploadLabel),
  };
}

/** The file to fold into the cache key: only a path source reads outside the artifact store. */
export function fileSourceExternalFiles(p: { source: "path" | "upload"; path: string }): string[] {
  return p.source === "path" && p.path ? [p.path] : [];
}
