import { describe, expect, it } from "vitest";
import { addNode, moveNodes, setParam } from "./doc-ops";
import { STAGES, demoDoc } from "./fixtures";
import { createDocStore } from "./store";

describe("document store", () => {
  it("edits are undoable; loading a pipeline forgets history", () => {
    const store = createDocStore();
    store.getState().load(1, demoDoc());
    store.getState().edit((d) => addNode(d, STAGES[1], { x: 0, y: 0 }).doc);
    expect(store.getState().history!.present.nodes).toHaveLength(5);
    store.getState().undo();
    expect(store.getState().history!.present.nodes).toHaveLength(4);
    store.getState().redo();
    expect(store.getState().history!.present.nodes).toHaveLength(5);
    store.getState().load(2, demoDoc());
    expect(store.getState().history!.past).toHaveLength(0);
    expect(store.getState().pipelineId).toBe(2);
  });

  it("a no-op edit adds no undo step", () => {
    const store = createDocStore();
    store.getState().load(1, demoDoc());
    store.getState().edit((d) => moveNodes(d, { load: { x: 0, y: 0 } }));
    expect(store.getState().history!.past).toHaveLength(0);
  });

  it("typing into one field is one undo step", () => {
    const store = createDocStore();
    store.getState().load(1, demoDoc());
    for (const v of [1, 12, 123]) store.getState().edit((d) => setParam(d, "train", "C", v), "param:train:C");
    expect(store.getState().history!.past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().history!.present.nodes[2].params.C).toBe(1);
  });

  it("does nothing before a document is loaded", () => {
    const store = createDocStore();
    store.getState().edit((d) => d);
    store.getState().undo();
    expect(store.getState().history).toBeNull();
  });
});
