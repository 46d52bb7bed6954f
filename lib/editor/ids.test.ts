import { describe, expect, it } from "vitest";
import { nextEdgeId, nextNodeId } from "./ids";

describe("nextNodeId", () => {
  it("uses the stage id, then numbers from 2", () => {
    expect(nextNodeId("train", new Set())).toBe("train");
    expect(nextNodeId("train", new Set(["train"]))).toBe("train_2");
    expect(nextNodeId("train", new Set(["train", "train_2"]))).toBe("train_3");
  });

  it("fills the first gap rather than counting past it", () => {
    expect(nextNodeId("train", new Set(["train", "train_3"]))).toBe("train_2");
  });

  it("turns dashes and characters the document forbids into underscores", () => {
    expect(nextNodeId("load-csv", new Set())).toBe("load_csv");
    expect(nextNodeId("a b/c", new Set())).toBe("a_b_c");
  });

  it("stays within the 64-character id limit when numbering", () => {
    const long = "x".repeat(70);
    const first = nextNodeId(long, new Set());
    expect(first).toHaveLength(64);
    const second = nextNodeId(long, new Set([first]));
    expect(second).toHaveLength(64);
    expect(second.endsWith("_2")).toBe(true);
  });
});

describe("nextEdgeId", () => {
  it("names the edge after its ends and numbers parallel edges", () => {
    expect(nextEdgeId("split", "eval", new Set())).toBe("split-eval");
    expect(nextEdgeId("split", "eval", new Set(["split-eval"]))).toBe("split-eval_2");
  });
});
