import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiHandler } from "./server";
import { startTestStudio, type TestStudio } from "../engine/engine-harness";
import { resolveConfig } from "../config";

let t: TestStudio;
const servers: Server[] = [];

async function serve(token?: string): Promise<string> {
  const handler = createApiHandler(t.studio, token);
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  t = await startTestStudio();
});
afterAll(async () => {
  servers.forEach((s) => s.close());
  await t.stop();
});

describe("HTTP API", () => {
  it("stores an upload in the artifact store and names it by its hash", async () => {
    const base = await serve();
    const body = "a,b\n1,2\n";
    const res = await fetch(`${base}/api/uploads`, { method: "POST", body, headers: { "x-file-name": "../../evil name.csv" } });
    expect(res.status).toBe(200);
    const upload = (await res.json()) as { uploadId: string; name: string; size: number };
    expect(upload.uploadId).toMatch(/^[0-9a-f]{64}$/);
    expect(upload.name).toBe(".._.._evil name.csv");
    expect(t.studio.store.read(upload.uploadId).toString()).toBe(body);

    const empty = await fetch(`${base}/api/uploads`, { method: "POST", body: "", headers: { "x-file-name": "e.csv" } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: '"e.csv" is empty.' });
  });

  it("serves tRPC queries over HTTP", async () => {
    const base = await serve();
    const res = await fetch(`${base}/api/trpc/catalog.list`);
    const body = (await res.json()) as { result: { data: { id: string }[] } };
    expect(body.result.data.map((s) => s.id)).toContain("load-csv");
  });

  it("requires the token when one is set", async () => {
    const token = "0123456789abcdef0123";
    const base = await serve(token);
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    expect((await fetch(`${base}/api/health`, { headers: { authorization: "Bearer wrong-token-000000000" } })).status).toBe(401);
    const ok = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });
});

describe("configuration", () => {
  it("binds to loopback by default and refuses a public address without a token", () => {
    expect(resolveConfig({}, {}).host).toBe("127.0.0.1");
    expect(() => resolveConfig({ host: "0.0.0.0" }, {})).toThrow(/Refusing to listen on 0\.0\.0\.0 without a token/);
    expect(resolveConfig({ host: "0.0.0.0" }, { STUDIO_TOKEN: "a-long-enough-token" }).host).toBe("0.0.0.0");
    expect(() => resolveConfig({ port: "http" }, {})).toThrow(/Invalid setting port/);
  });
});
