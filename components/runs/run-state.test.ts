import { describe, expect, it } from "vitest";
import type { NodeRunView, RunSummary } from "@/server/api-types";
import { appendLogLine, applyRunEvent, nodesById, unwrapRunEvent, type RunDetail } from "./run-state";

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 7,
    pipelineId: 1,
    pipelineVersionId: 3,
    versionNumber: 3,
    status: "running",
    trigger: "ui",
    forceFrom: null,
    error: null,
    createdAt: 1_000,
    startedAt: 1_010,
    finishedAt: null,
    ...overrides,
  };
}

function node(nodeId: string, overrides: Partial<NodeRunView> = {}): NodeRunView {
  return {
    nodeId,
    stageId: "split",
    status: "pending",
    progress: null,
    progressMessage: null,
    device: null,
    backend: null,
    attempt: 1,
    durationMs: null,
    startedAt: null,
    finishedAt: null,
    cache: null,
    outputs: null,
    error: null,
    ...overrides,
  };
}

function detail(nodes: NodeRunView[] = [node("load_csv"), node("split")]): RunDetail {
  return { run: run(), nodes, lastEventId: 0 };
}

describe("applyRunEvent", () => {
  it("replaces the run view", () => {
    const next = applyRunEvent(detail(), { type: "run", run: run({ status: "succeeded", finishedAt: 2_000 }) });
    expect(next?.run.status).toBe("succeeded");
    expect(next?.run.finishedAt).toBe(2_000);
  });

  it("ignores a run event for another run", () => {
    const state = detail();
    expect(applyRunEvent(state, { type: "run", run: run({ id: 8 }) })).toBe(state);
  });

  it("replaces a node view by id and keeps the others and their order", () => {
    const state = detail();
    const next = applyRunEvent(state, { type: "node", node: node("load_csv", { status: "running", progress: 0.4 }) })!;
    expect(next.nodes.map((n) => n.nodeId)).toEqual(["load_csv", "split"]);
    expect(next.nodes[0]).toMatchObject({ status: "running", progress: 0.4 });
    expect(next.nodes[1]).toBe(state.nodes[1]);
    expect(state.nodes[0].status).toBe("pending");
  });

  it("adds a node the detail did not list yet", () => {
    const next = applyRunEvent(detail([]), { type: "node", node: node("train", { status: "queued" }) })!;
    expect(nodesById(next.nodes).train.status).toBe("queued");
  });

  it("ends at the stream's last view when the history is replayed over a loaded state", () => {
    const loaded = detail([node("train", { status: "failed", attempt: 1, error: { message: "boom" } })]);
    // resume reuses the run: nodes go back to pending with attempt 0, then run again.
    const replay = [
      node("train", { status: "running", attempt: 1 }),
      node("train", { status: "failed", attempt: 1, error: { message: "boom" } }),
      node("train", { status: "pending", attempt: 0 }),
      node("train", { status: "running", attempt: 1, progress: 0.5 }),
    ];
    const next = replay.reduce<RunDetail | undefined>((s, n) => applyRunEvent(s, { type: "node", node: n }), loaded)!;
    expect(next.nodes[0]).toMatchObject({ status: "running", attempt: 1, progress: 0.5, error: null });
  });

  it("leaves the detail alone for log events and before it is loaded", () => {
    const state = detail();
    const log = { type: "log" as const, log: { id: 1, nodeId: "split", level: "info" as const, message: "hi", at: 5 } };
    expect(applyRunEvent(state, log)).toBe(state);
    expect(applyRunEvent(undefined, { type: "node", node: node("split") })).toBeUndefined();
  });
});

describe("unwrapRunEvent", () => {
  it("unwraps tRPC's tracked envelope and passes plain events through", () => {
    const event = { type: "node" as const, node: node("split") };
    expect(unwrapRunEvent({ id: "12", data: event })).toBe(event);
    expect(unwrapRunEvent(event)).toBe(event);
  });
});

describe("appendLogLine", () => {
  const line = (id: number) => ({ id, nodeId: "split", level: "info" as const, message: `line ${id}`, at: id });

  it("appends once, keeps id order, and leaves an unloaded list unloaded", () => {
    const lines = [line(1), line(3)];
    expect(appendLogLine(lines, line(3))).toBe(lines);
    expect(appendLogLine(lines, line(4))!.map((l) => l.id)).toEqual([1, 3, 4]);
    expect(appendLogLine(lines, line(2))!.map((l) => l.id)).toEqual([1, 2, 3]);
    expect(appendLogLine(undefined, line(1))).toBeUndefined();
  });
});
