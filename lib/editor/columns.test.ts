import { describe, expect, it } from "vitest";
import { upstreamColumns } from "./columns";
import { CATALOG, demoDoc } from "./fixtures";
import type { NodeRunView } from "./types";

function view(nodeId: string, outputs: NodeRunView["outputs"]): NodeRunView {
  return {
    nodeId,
    stageId: "x",
    status: "succeeded",
    progress: null,
    progressMessage: null,
    device: null,
    backend: null,
    attempt: 1,
    durationMs: null,
    startedAt: null,
    finishedAt: null,
    cache: null,
    outputs,
    error: null,
  };
}

const ref = (schema: unknown) => ({ hash: "0".repeat(64), kind: "table" as const, size: 1, summary: { schema } });

describe("upstreamColumns", () => {
  it("reads the schema of the output feeding the node's table input", () => {
    const runNodes = { split: view("split", { train: ref([{ name: "age", kind: "number" }, { name: "churn", kind: "string" }]) }) };
    expect(upstreamColumns(demoDoc(), CATALOG, "train", runNodes)?.map((c) => c.name)).toEqual(["age", "churn"]);
  });

  it("is null before a run, for unconnected inputs and for nodes without table inputs", () => {
    expect(upstreamColumns(demoDoc(), CATALOG, "train", {})).toBeNull();
    expect(upstreamColumns(demoDoc(), CATALOG, "load", {})).toBeNull();
    const runNodes = { split: view("split", { train: ref("not a list") }) };
    expect(upstreamColumns(demoDoc(), CATALOG, "train", runNodes)).toBeNull();
  });
});
