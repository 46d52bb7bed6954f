import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { createCaller } from "./_app";
import { doc, startTestStudio, type TestStudio } from "../engine/engine-harness";

let t: TestStudio;
let api: ReturnType<typeof createCaller>;
beforeAll(async () => {
  t = await startTestStudio();
  api = createCaller({ studio: t.studio });
});
afterAll(() => t.stop());

const iris = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../examples/iris.pipeline.json"), "utf8"));

describe("API", () => {
  it("publishes every stage with its params as JSON Schema, defaults and typed ports", async () => {
    const stages = await api.catalog.list();
    const split = stages.find((s) => s.id === "split")!;
    expect(split.category).toBe("Transform");
    expect(split.inputs).toEqual([{ name: "table", type: "table", label: expect.any(String), optional: false, description: undefined }]);
    expect(split.outputs.map((o) => o.name)).toEqual(["train", "test"]);
    expect(split.defaults).toMatchObject({ testSize: 0.25, seed: 42 });
    const testSize = (split.paramsSchema.properties as Record<string, Record<string, unknown>>).testSize;
    expect(testSize).toMatchObject({ type: "number", minimum: 0.05, maximum: 0.95, default: 0.25 });
  });

  it("saves immutable versions, skipping a save that changes nothing", async () => {
    const { id } = await api.pipelines.create({ name: "Iris via API", document: iris });
    const same = await api.pipelines.save({ id, document: { ...iris, name: "Iris via API" } });
    expect(same).toMatchObject({ number: 1, unchanged: true });
    const moved = structuredClone(iris);
    moved.name = "Iris via API";
    moved.nodes[0].position.x += 40;
    const next = await api.pipelines.save({ id, document: moved });
    expect(next).toMatchObject({ number: 2, unchanged: false });
    const versions = await api.pipelines.versions({ id });
    expect(versions.map((v) => v.number)).toEqual([2, 1]);
    const first = await api.pipelines.get({ id, versionId: versions[1].id });
    expect(first.document.nodes[0].position.x).toBe(iris.nodes[0].position.x);
  });

  it("rejects a malformed document with the path of the problem", async () => {
    const { id } = await api.pipelines.create({ name: "broken" });
    const attempt = api.pipelines.save({ id, document: { schema: 1, name: "broken", nodes: [{ id: "x" }], edges: [] } });
    await expect(attempt).rejects.toThrow(/malformed at nodes\.0\.stage/);
    await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.pipelines.get({ id: 99_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("validates a document and binds issues to nodes", async () => {
    const { issues } = await api.pipelines.validate({ document: doc([{ id: "lonely", stage: "test-add" }]) });
    expect(issues).toEqual([expect.objectContaining({ code: "missing-input", nodeId: "lonely", field: "a" })]);
  });

  it("runs a pipeline, streams its events, and serves table pages and metrics", async () => {
    const { id } = await api.pipelines.create({ name: "Iris run", document: iris });
    const { version } = await api.pipelines.get({ id });
    const { runId } = await api.runs.start({ pipelineId: id, versionId: version.id });

    const statuses: string[] = [];
    const stream = await api.runs.events({ runId });
    for await (const envelope of stream as AsyncIterable<unknown>) {
      const [, event] = envelope as [string, { type: string; run?: { status: string } }];
      if (event.type === "run") statuses.push(event.run!.status);
    }
    expect(statuses).toEqual(["running", "succeeded"]);

    const { run, nodes } = await api.runs.get({ runId });
    expect(run.status).toBe("succeeded");
    const split = nodes.find((n) => n.nodeId === "split")!;
    const page = await api.artifacts.tablePage({ hash: split.outputs!.test.hash, offset: 10, limit: 5 });
    expect(page.rows).toHaveLength(5);
    expect(page.offset).toBe(10);
    expect(page.columns.map((c) => c.name)).toContain("species");
    const evaluate = nodes.find((n) => n.nodeId === "evaluate")!;
    const metrics = (await api.artifacts.json({ hash: evaluate.outputs!.metrics.hash })) as { confusionMatrix: number[][] };
    const total = metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(page.rowCount);
    const logs = await api.runs.logs({ runId, nodeId: "load_csv" });
    expect(logs.length).toBeGreaterThan(0);
  });

  it("refuses bad input at the boundary", async () => {
    await expect(api.artifacts.tablePage({ hash: "../../etc/passwd", offset: 0, limit: 10 })).rejects.toBeInstanceOf(TRPCError);
    await expect(api.artifacts.json({ hash: "f".repeat(64) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.runs.start({ pipelineId: 1, versionId: 99_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.runs.resume({ runId: 99_999 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
