import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Studio } from "../studio";
import { uploads, artifacts } from "../../db/schema";

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/**
 * POST /api/uploads with the file as the raw body and its name in `x-file-name`. The bytes go
 * into the artifact store; the returned uploadId (their hash) is what a Load stage's params hold,
 * so the same file uploaded twice hits the same cache entries.
 */
export async function handleUpload(studio: Studio, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawName = String(req.headers["x-file-name"] ?? "upload");
  const name = safeDecode(rawName).replace(/[\\/\0]/g, "_").slice(0, 200) || "upload";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_UPLOAD_BYTES) {
      return json(res, 413, { error: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; point a Load stage at its path instead.` });
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return json(res, 400, { error: `"${name}" is empty.` });
  const { hash } = studio.store.put(Buffer.concat(chunks));
  studio.db.insert(artifacts).values({ hash, kind: "upload", size, summary: { name } }).onConflictDoNothing().run();
  studio.db.insert(uploads).values({ id: randomUUID(), name, hash, size }).run();
  json(res, 200, { uploadId: hash, name, size });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
