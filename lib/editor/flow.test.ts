import { describe, expect, it } from "vitest";
import { CATALOG, demoDoc } from "./fixtures";
import { EMPTY_VIEW, toFlowEdges, toFlowNodes } from "./flow";

describe("toFlowNodes", () => {
  it("takes ids and positions from the document and selection from the view", () => {
    const nodes = toFlowNodes(demoDoc(), { ...EMPTY_VIEW, selectedNodes: new Set(["split"]) });
    expect(nodes.map((n) => [n.id, n.type, n.selected])).toEqual([
      ["load", "stage", false],
      ["split", "stage", true],
      ["train", "stage", false],
      ["evaluate", "stage", false],
    ]);
    expect(nodes[1].data).toEqual({ stageId: "split", label: undefined });
  });

  it("shows a node mid-drag at its live position without touching the document", () => {
    const doc = demoDoc();
    const nodes = toFlowNodes(doc, { ...EMPTY_VIEW, dragging: { load: { x: 9, y: 9 } } });
    expect(nodes[0]).toMatchObject({ position: { x: 9, y: 9 }, dragging: true });
    expect(doc.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it("keeps the previous object of every unchanged node", () => {
    const doc = demoDoc();
    const first = toFlowNodes(doc, EMPTY_VIEW);
    const second = toFlowNodes(doc, { ...EMPTY_VIEW, selectedNodes: new Set(["train"]) }, first);
    expect(second[0]).toBe(first[0]);
    expect(second[2]).not.toBe(first[2]);
  });
});

describe("toFlowEdges", () => {
  it("uses port names as handle ids and carries the port type for colouring", () => {
    const edges = toFlowEdges(demoDoc(), CATALOG, EMPTY_VIEW);
    expect(edges[2]).toMatchObject({
      id: "e3",
      source: "train",
      sourceHandle: "model",
      target: "evaluate",
      targetHandle: "model",
      data: { portType: "model" },
    });
  });
});
