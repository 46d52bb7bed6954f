/**
 * View state of the canvas: selection, measured node sizes and positions mid-drag. Kept apart
 * from the document store because none of it is an edit: undo skips it and autosave ignores it.
 */
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { ViewState } from "@/lib/editor/flow";
import type { XY } from "@/lib/editor/types";

interface ViewStore extends ViewState {
  select(nodes: Iterable<string>, edges?: Iterable<string>): void;
  setSelected(kind: "node" | "edge", id: string, selected: boolean): void;
  setMeasured(id: string, size: { width: number; height: number }): void;
  setDragging(positions: Record<string, XY>): void;
  endDrag(ids: Iterable<string>): void;
  reset(): void;
}

const initial: ViewState = { selectedNodes: new Set(), selectedEdges: new Set(), measured: new Map(), dragging: {} };

export const viewStore = createStore<ViewStore>()((set) => ({
  ...initial,
  select: (nodes, edges = []) => set({ selectedNodes: new Set(nodes), selectedEdges: new Set(edges) }),
  setSelected: (kind, id, selected) =>
    set((s) => {
      const key = kind === "node" ? "selectedNodes" : "selectedEdges";
      if (s[key].has(id) === selected) return s;
      const next = new Set(s[key]);
      if (selected) next.add(id);
      else next.delete(id);
      return { [key]: next };
    }),
  setMeasured: (id, size) =>
    set((s) => {
      const old = s.measured.get(id);
      if (old && old.width === size.width && old.height === size.height) return s;
      return { measured: new Map(s.measured).set(id, size) };
    }),
  setDragging: (positions) => set((s) => ({ dragging: { ...s.dragging, ...positions } })),
  endDrag: (ids) =>
    set((s) => {
      const dragging = { ...s.dragging };
      for (const id of ids) delete dragging[id];
      return { dragging };
    }),
  reset: () => set({ ...initial, selectedNodes: new Set(), selectedEdges: new Set(), measured: new Map() }),
}));

export function useView<T>(selector: (s: ViewStore) => T): T {
  return useStore(viewStore, selector);
}

/** The node the inspector and output panel show: the only selected one, else none. */
export function useSingleSelectedNode(): string | null {
  return useView((s) => (s.selectedNodes.size === 1 ? [...s.selectedNodes][0] : null));
}
