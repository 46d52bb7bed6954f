import { describe, expect, it } from "vitest";
import { copyNodes, pasteNodes } from "./clipboard";
import { demoDoc } from "./fixtures";

describe("copy and paste", () => {
  it("copies the chosen nodes with only the edges between them", () => {
    const clip = copyNodes(demoDoc(), ["split", "train"])!;
    expect(clip.nodes.map((n) => n.id)).toEqual(["split", "train"]);
    expect(clip.edges.map((e) => e.id)).toEqual(["e2"]);
  });

  it("copies nothing when nothing is selected", () => {
    expect(copyNodes(demoDoc(), [])).toBeNull();
  });

  it("pastes with new ids, rewired edges and an offset", () => {
    const doc = demoDoc();
    const clip = copyNodes(doc, ["split", "train"])!;
    const { doc: next, ids } = pasteNodes(doc, clip, { x: 40, y: 40 });
    expect(ids).toEqual(["split_2", "train_2"]);
    const pasted = next.nodes.filter((n) => ids.includes(n.id));
    expect(pasted.map((n) => n.position)).toEqual([
      { x: 240, y: 40 },
      { x: 440, y: 40 },
    ]);
    const newEdge = next.edges[next.edges.length - 1];
    expect(newEdge).toMatchObject({ source: "split_2", target: "train_2", sourcePort: "train", targetPort: "train" });
    expect(new Set(next.edges.map((e) => e.id)).size).toBe(next.edges.length);
  });

  it("pasting twice never reuses ids, and the pasted params are independent copies", () => {
    const doc = demoDoc();
    const clip = copyNodes(doc, ["train"])!;
    const once = pasteNodes(doc, clip);
    const twice = pasteNodes(once.doc, clip);
    expect(twice.ids).toEqual(["train_3"]);
    const a = twice.doc.nodes.find((n) => n.id === "train_2")!;
    const b = twice.doc.nodes.find((n) => n.id === "train_3")!;
    expect(a.params).not.toBe(b.params);
    expect(clip.nodes[0].params).not.toBe(doc.nodes[2].params);
  });
});
