import { describe, expect, it } from "vitest";
import { addEdge, addNode, moveNodes, removeElements, setLabel, setParam, setParams } from "./doc-ops";
import { STAGES, demoDoc } from "./fixtures";

describe("document edits", () => {
  it("adds a node with the stage's defaults, a fresh id and a rounded position", () => {
    const doc = demoDoc();
    const { doc: next, id } = addNode(doc, STAGES[2], { x: 10.4, y: 20.6 });
    expect(id).toBe("train_2");
    const node = next.nodes.find((n) => n.id === id)!;
    expect(node).toMatchObject({ stage: "train", stageVersion: 1, position: { x: 10, y: 21 } });
    expect(doc.nodes).toHaveLength(4);
  });

  it("copies default params so nodes never share a params object", () => {
    const first = addNode(demoDoc(), STAGES[0], { x: 0, y: 0 });
    const node = first.doc.nodes.find((n) => n.id === first.id)!;
    expect(node.params).toEqual(STAGES[0].defaults);
    expect(node.params.opts).not.toBe(STAGES[0].defaults.opts);
  });

  it("returns the same document when an edit changes nothing", () => {
    const doc = demoDoc();
    expect(moveNodes(doc, { load: { x: 0, y: 0 } })).toBe(doc);
    expect(setParam(doc, "train", "C", 1)).toBe(doc);
    expect(setLabel(doc, "train", "  ")).toBe(doc);
    expect(removeElements(doc, ["nope"], ["nope"])).toBe(doc);
  });

  it("moves only the named nodes", () => {
    const next = moveNodes(demoDoc(), { split: { x: 5, y: 6 } });
    expect(next.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 5, y: 6 },
      { x: 400, y: 0 },
      { x: 600, y: 0 },
    ]);
  });

  it("setting a param to undefined removes it so the default applies", () => {
    const doc = setParam(demoDoc(), "train", "C", undefined);
    expect(doc.nodes[2].params).toEqual({});
    const both = setParams(demoDoc(), "train", { C: 2, seed: 7 });
    expect(both.nodes[2].params).toEqual({ C: 2, seed: 7 });
  });

  it("sets and clears a label", () => {
    const labelled = setLabel(demoDoc(), "train", "Logistic");
    expect(labelled.nodes[2].label).toBe("Logistic");
    expect("label" in setLabel(labelled, "train", "").nodes[2]).toBe(false);
  });

  it("adds an edge once; the same edge again is a no-op", () => {
    const spec = { source: "split", sourcePort: "test", target: "evaluate", targetPort: "test" };
    const { doc, id } = addEdge(demoDoc(), spec);
    expect(id).toBe("split-evaluate");
    expect(addEdge(doc, spec).doc).toBe(doc);
  });

  it("removing a node removes the edges touching it", () => {
    const doc = removeElements(demoDoc(), ["split"]);
    expect(doc.nodes.map((n) => n.id)).toEqual(["load", "train", "evaluate"]);
    expect(doc.edges.map((e) => e.id)).toEqual(["e3"]);
  });
});
