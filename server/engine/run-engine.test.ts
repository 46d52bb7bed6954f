import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { doc, startTestStudio, type TestStudio } from "./engine-harness";

let t: TestStudio;
beforeAll(async () => {
  t = await startTestStudio({ workers: 2 });
});
afterAll(async () => {
  await t.stop();
});

const chain = (plus = 0) =>
  doc(
    [
      { id: "a", stage: "test-value", params: { value: 2 } },
      { id: "b", stage: "test-value", params: { value: 3 } },
      { id: "sum", stage: "test-add", params: { plus } },
      { id: "again", stage: "test-add", params: { plus: 10 } },
    ],
    ["a.out->sum.a", "b.out->sum.b", "sum.out->again.a"],
  );

describe("run engine", () => {
  it("runs a graph in worker processes and passes artifacts along edges", async () => {
    const { pipelineId, versionId } = t.save(chain());
    const { run, nodes } = await t.run(versionId);
    expect(run.status).toBe("succeeded");
    const sum = t.studio.store.readJson<{ value: number }>(nodes.sum.outputs!.out.hash);
    const again = t.studio.store.readJson<{ value: number }>(nodes.again.outputs!.out.hash);
    expect(sum.value).toBe(5);
    expect(again.value).toBe(15);
    expect(nodes.sum.device).toBe("CPU");
    expect(nodes.sum.cache).toEqual({ cached: false, reasons: ["first run of this node"] });

    // Unchanged: everything comes from the cache.
    const second = await t.run(versionId);
    expect(Object.values(second.nodes).map((n) => n.status)).toEqual(["cached", "cached", "cached", "cached"]);

    // One param changed: only that node and its descendants re-run, and the reasons say why.
    const changed = t.save(chain(1), pipelineId);
    const third = await t.run(changed.versionId);
    expect(third.nodes.a.status).toBe("cached");
    expect(third.nodes.b.status).toBe("cached");
    expect(third.nodes.sum.status).toBe("succeeded");
    expect(third.nodes.sum.cache?.reasons).toEqual(['param "plus" changed (0 → 1)']);
    expect(third.nodes.again.cache?.reasons).toEqual(['input "a" changed']);
    expect(t.studio.store.readJson<{ value: number }>(third.nodes.again.outputs!.out.hash).value).toBe(16);
  });

  it("re-runs a chosen node and its descendants on request", async () => {
    const { versionId } = t.save(chain());
    await t.run(versionId);
    const { nodes } = await t.run(versionId, "sum");
    expect(nodes.a.status).toBe("cached");
    expect(nodes.sum.status).toBe("succeeded");
    expect(nodes.sum.cache?.reasons).toEqual(["re-run requested from this node"]);
    expect(nodes.again.status).toBe("succeeded");
  });

  it("fails a node whose worker exits, skips its descendants, runs the rest, and keeps the pool working", async () => {
    const { versionId } = t.save(
      doc(
        [
          { id: "crash", stage: "test-crash", params: { mode: "exit" } },
          { id: "after", stage: "test-add", params: {} },
          { id: "other", stage: "test-value", params: { value: 7 } },
        ],
        ["crash.out->after.a"],
      ),
    );
    const { run, nodes } = await t.run(versionId);
    expect(run.status).toBe("failed");
    expect(nodes.crash.status).toBe("failed");
    expect(nodes.crash.error?.message).toMatch(/worker process running this node exited unexpectedly \(exit code 3\)/);
    expect(nodes.after.status).toBe("skipped");
    expect(nodes.after.error?.message).toMatch(/upstream node .*crash/);
    expect(nodes.other.status).toBe("succeeded");
    // The pool replaced the worker: a new run still works.
    const ok = await t.run(t.save(chain(5)).versionId);
    expect(ok.run.status).toBe("succeeded");
  });

  it("reports a stage's own error with its field and line, and an unexpected throw with a hint", async () => {
    const { versionId } = t.save(
      doc([
        { id: "bad", stage: "test-crash", params: { mode: "stage-error" } },
        { id: "boom", stage: "test-crash", params: { mode: "throw" } },
      ]),
    );
    const { nodes } = await t.run(versionId);
    expect(nodes.bad.error).toMatchObject({ message: "Column 'age' has a bad value on line 3.", field: "mode", line: 3, hint: "Fix line 3." });
    // What the stage wrote before failing stays viewable, but a failed node is never cached.
    expect(t.studio.store.readJson(nodes.bad.outputs!.out.hash)).toEqual({ passed: false });
    expect((await t.run(versionId)).nodes.bad.status).toBe("failed");
    expect(nodes.boom.error?.message).toBe("boom");
    expect(nodes.boom.error?.hint).toMatch(/Unexpected error in the stage/);
  });

  it("stops a hung stage at its timeout and retries a flaky one", async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), "flaky-")), "marker");
    const { versionId } = t.save(
      doc([
        { id: "hang", stage: "test-sleep", params: { ms: 60_000, spin: true }, settings: { timeoutSeconds: 1 } },
        { id: "flaky", stage: "test-flaky", params: { marker }, settings: { retries: 1 } },
      ]),
    );
    const { nodes } = await t.run(versionId);
    expect(nodes.hang.status).toBe("failed");
    expect(nodes.hang.error?.message).toMatch(/did not finish within its 1 s timeout/);
    expect(nodes.flaky.status).toBe("succeeded");
    expect(nodes.flaky.attempt).toBe(2);
    expect(existsSync(marker)).toBe(true);
  });

  it("cancels a running pipeline", async () => {
    const { versionId } = t.save(
      doc(
        [
          { id: "slow", stage: "test-sleep", params: { ms: 30_000 } },
          { id: "next", stage: "test-add" },
        ],
        ["slow.out->next.a"],
      ),
    );
    const runId = t.studio.engine.startRun({ pipelineVersionId: versionId, trigger: "api" });
    await waitFor(() => t.studio.engine.nodeViews(runId).find((n) => n.nodeId === "slow")?.status === "running");
    expect(t.studio.engine.cancel(runId)).toBe(true);
    const run = await t.studio.engine.waitForRun(runId);
    expect(run.status).toBe("cancelled");
    const views = Object.fromEntries(t.studio.engine.nodeViews(runId).map((n) => [n.nodeId, n.status]));
    expect(views).toEqual({ slow: "cancelled", next: "cancelled" });
  });

  it("refuses an invalid graph with errors bound to nodes", async () => {
    const { versionId } = t.save(
      doc(
        [
          { id: "x", stage: "test-add" },
          { id: "y", stage: "test-add" },
          { id: "v", stage: "test-value", params: { value: "nope" } },
        ],
        ["x.out->y.a", "y.out->x.a"],
      ),
    );
    const { run, nodes } = await t.run(versionId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/cycle/);
    expect(nodes.v.status).toBe("failed");
    expect(nodes.v.error?.field).toBe("value");
  });

  it("streams run events that a client can resume from an event id", async () => {
    const { versionId } = t.save(chain(42));
    const { runId } = await t.run(versionId);
    const all = [];
    for await (const e of t.studio.engine.events.follow(runId, 0, () => true)) all.push(e);
    expect(all.at(-1)?.event).toMatchObject({ type: "run", run: { status: "succeeded" } });
    const middle = all[Math.floor(all.length / 2)].id;
    const rest = [];
    for await (const e of t.studio.engine.events.follow(runId, middle, () => true)) rest.push(e.id);
    expect(rest).toEqual(all.filter((e) => e.id > middle).map((e) => e.id));
  });
});

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
