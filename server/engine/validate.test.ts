import { describe, expect, it } from "vitest";
import testStages from "./test-stages";
import { doc } from "./engine-harness";
import { validatePipeline } from "./validate";
import { topologicalOrder, withDescendants } from "./graph";

const lookup = (id: string) => testStages.find((s) => s.id === id);

describe("validatePipeline", () => {
  it("accepts a well-formed graph", () => {
    const d = doc([{ id: "v", stage: "test-value" }, { id: "s", stage: "test-add" }], ["v.out->s.a"]);
    expect(validatePipeline(d, lookup)).toEqual([]);
  });

  it("names the nodes on a cycle", () => {
    const d = doc([{ id: "x", stage: "test-add" }, { id: "y", stage: "test-add" }], ["x.out->y.a", "y.out->x.a"]);
    const cycle = validatePipeline(d, lookup).find((i) => i.code === "cycle");
    expect(cycle?.message).toBe('The pipeline has a cycle through "Add" (x), "Add" (y); remove one of its edges.');
  });

  it("binds missing inputs, bad params and unknown stages to their nodes and fields", () => {
    const d = doc([
      { id: "s", stage: "test-add" },
      { id: "v", stage: "test-value", params: { value: "three" } },
      { id: "u", stage: "nope" },
    ]);
    const issues = validatePipeline(d, lookup);
    expect(issues).toContainEqual({ code: "missing-input", nodeId: "s", field: "a", message: 'Node "Add" (s) needs its input "A" connected.' });
    expect(issues).toContainEqual(expect.objectContaining({ code: "param", nodeId: "v", field: "value" }));
    expect(issues).toContainEqual(expect.objectContaining({ code: "unknown-stage", nodeId: "u" }));
    // An optional input ("b") left unconnected is fine.
    expect(issues.some((i) => i.nodeId === "s" && i.field === "b")).toBe(false);
  });

  it("refuses edges between ports of different types, to unknown ports, and a second edge into one input", () => {
    const d = doc(
      [
        { id: "v", stage: "test-value" },
        { id: "w", stage: "test-value" },
        { id: "s", stage: "test-add" },
      ],
      ["v.out->s.a", "w.out->s.a", "v.nothing->s.b"],
    );
    const codes = validatePipeline(d, lookup).map((i) => i.code);
    expect(codes).toContain("input-taken");
    expect(codes).toContain("unknown-port");
  });
});

describe("graph helpers", () => {
  const d = doc(
    [{ id: "a", stage: "test-value" }, { id: "b", stage: "test-add" }, { id: "c", stage: "test-add" }, { id: "z", stage: "test-value" }],
    ["a.out->b.a", "b.out->c.a"],
  );
  it("orders nodes so every edge points forward", () => {
    const { order, cyclic } = topologicalOrder(d);
    expect(cyclic).toEqual([]);
    expect(order.indexOf("a")).toBeLessThan(order.indexOf("b"));
    expect(order.indexOf("b")).toBeLessThan(order.indexOf("c"));
  });
  it("finds a node's descendants for re-run-from-here", () => {
    expect([...withDescendants(d, "b")].sort()).toEqual(["b", "c"]);
  });
});
