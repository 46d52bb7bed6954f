import { describe, expect, it } from "vitest";
import { checkConnection, reaches } from "./connection";
import { CATALOG, demoDoc } from "./fixtures";

const conn = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
  source,
  sourceHandle,
  target,
  targetHandle,
});

describe("checkConnection", () => {
  it("accepts an output into a free input of the same kind", () => {
    expect(checkConnection(demoDoc(), CATALOG, conn("split", "test", "evaluate", "test"))).toEqual({ ok: true });
  });

  it("refuses different kinds and names both kinds and the input", () => {
    const result = checkConnection(demoDoc(), CATALOG, conn("train", "model", "evaluate", "test"));
    expect(result).toEqual({ ok: false, reason: "Can't connect Model to Table input 'test'." });
  });

  it("refuses a second edge into a connected input", () => {
    const result = checkConnection(demoDoc(), CATALOG, conn("split", "test", "train", "train"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("Input 'train' already has a connection");
  });

  it("refuses self-loops", () => {
    const result = checkConnection(demoDoc(), CATALOG, conn("split", "train", "split", "table"));
    expect(result.ok).toBe(false);
  });

  it("refuses an edge that closes a cycle", () => {
    const doc = {
      ...demoDoc(),
      nodes: [...demoDoc().nodes, { id: "s2", stage: "split", stageVersion: 1, params: {}, position: { x: 0, y: 0 } }],
      edges: [{ id: "x", source: "split", sourcePort: "test", target: "s2", targetPort: "table" }],
    };
    // split's own input is free here, so only the cycle rule can object.
    const result = checkConnection(doc, CATALOG, conn("s2", "train", "split", "table"));
    expect(result).toEqual({ ok: false, reason: "That edge would create a cycle: pipelines must flow one way." });
  });

  it("refuses unknown ports and nodes", () => {
    expect(checkConnection(demoDoc(), CATALOG, conn("split", "nope", "evaluate", "test")).ok).toBe(false);
    expect(checkConnection(demoDoc(), CATALOG, conn("ghost", "table", "evaluate", "test")).ok).toBe(false);
  });
});

describe("reaches", () => {
  it("follows edges forward only", () => {
    expect(reaches(demoDoc(), "load", "evaluate")).toBe(true);
    expect(reaches(demoDoc(), "evaluate", "load")).toBe(false);
  });
});
