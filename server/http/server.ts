import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../routers/_app";
import type { Studio } from "../studio";
import { handleUpload, json } from "./uploads";

export const ROOT_DIR = path.join(import.meta.dirname, "..", "..");

export interface HttpOptions {
  host: string;
  port: number;
  dev: boolean;
  token?: string;
}

/**
 * One HTTP server for the studio: the API (tRPC at /api/trpc, uploads) is served by the studio
 * process itself, next to the engine and the worker pool; every other path goes to Next.js for
 * the pages. Keeping the API out of Next's bundles means one engine instance per process and no
 * native modules in the page bundles.
 */
export async function startHttpServer(studio: Studio, options: HttpOptions): Promise<Server> {
  const { default: next } = await import("next");
  const app = next({ dev: options.dev, dir: ROOT_DIR, hostname: options.host, port: options.port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const api = createApiHandler(studio, options.token);

  const server = createServer(async (req, res) => {
    try {
      if ((req.url ?? "/").startsWith("/api/")) return await api(req, res);
      if (options.token && !pageAuthorized(req, res, options.token)) return;
      await nextHandler(req, res);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) json(res, 500, { error: (error as Error).message });
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

/** The studio's API under /api: tRPC, uploads and a health check, behind the token when one is set. */
export function createApiHandler(studio: Studio, token?: string) {
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    allowMethodOverride: true,
    createContext: () => ({ studio }),
  });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    if (token && !authorized(req, token)) {
      return json(res, 401, { error: "This studio needs a token: send 'Authorization: Bearer <STUDIO_TOKEN>'." });
    }
    if (url.startsWith("/api/trpc/")) return trpcHandler(req, res);
    if (url === "/api/uploads" && req.method === "POST") return handleUpload(studio, req, res);
    if (url === "/api/health") return json(res, 200, { ok: true, workers: studio.pool.size });
    return json(res, 404, { error: `No API route ${req.method} ${url}` });
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const match = /(?:^|;\s*)studio_token=([^;]+)/.exec(req.headers.cookie ?? "");
  return match ? decodeURIComponent(match[1]) : undefined;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const bearer = header.startsWith("Bearer ") ? header.slice(7) : undefined;
  const given = bearer ?? cookieToken(req);
  return given !== undefined && safeEqual(given, token);
}

/** Pages: `?token=` once sets an HttpOnly cookie, after which the browser's API calls carry it. */
function pageAuthorized(req: IncomingMessage, res: ServerResponse, token: string): boolean {
  const url = new URL(req.url ?? "/", "http://studio");
  const given = url.searchParams.get("token");
  if (given && safeEqual(given, token)) {
    res.writeHead(302, {
      "set-cookie": `studio_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      location: url.pathname,
    });
    res.end();
    return false;
  }
  if (authorized(req, token) || url.pathname.startsWith("/_next/")) return true;
  res.writeHead(401, { "content-type": "text/plain" });
  res.end("This studio needs a token: open it with ?token=<STUDIO_TOKEN>.");
  return false;
}
