/**
 * The editor's one store: the pipeline document and its undo history, nothing else. Selection,
 * measured sizes and in-progress drags live in view state; pipelines, runs and the catalog live in
 * react-query; autosave watches this store from outside (ARCHITECTURE §3).
 */
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import { createHistory, record, redo, undo, type History } from "./history";
import type { PipelineDocument } from "./types";

export interface DocState {
  /** Which pipeline the document belongs to; null before the first load. */
  pipelineId: number | null;
  history: History<PipelineDocument> | null;
  /** Replaces the document and forgets history (opening a pipeline, restoring a version). */
  load(pipelineId: number, doc: PipelineDocument): void;
  /** Applies a pure edit as one undo step; edits with the same `key` in quick succession merge. */
  edit(fn: (doc: PipelineDocument) => PipelineDocument, key?: string): void;
  undo(): void;
  redo(): void;
}

export function createDocStore() {
  return createStore<DocState>()((set) => ({
    pipelineId: null,
    history: null,
    load: (pipelineId, doc) => set({ pipelineId, history: createHistory(doc) }),
    edit: (fn, key) =>
      set((s) => (s.history ? { history: record(s.history, fn(s.history.present), key ?? null) } : s)),
    undo: () => set((s) => (s.history ? { history: undo(s.history) } : s)),
    redo: () => set((s) => (s.history ? { history: redo(s.history) } : s)),
  }));
}

/** One editor is open at a time, so one store; tests create their own with createDocStore(). */
export const docStore = createDocStore();

export function useDocStore<T>(selector: (s: DocState) => T): T {
  return useStore(docStore, selector);
}

export function useDocument(): PipelineDocument | null {
  return useDocStore((s) => s.history?.present ?? null);
}

export function useCanUndoRedo(): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useDocStore((s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useDocStore((s) => (s.history?.future.length ?? 0) > 0);
  return { canUndo, canRedo };
}

/** Reads the current document outside React (event handlers that must not re-render on edits). */
export function currentDocument(): PipelineDocument | null {
  return docStore.getState().history?.present ?? null;
}

/** Applies an edit that also returns a value (the id of an added node). */
export function editWith<R>(fn: (doc: PipelineDocument) => { doc: PipelineDocument; result: R }, key?: string): R | undefined {
  let result: R | undefined;
  docStore.getState().edit((doc) => {
    const out = fn(doc);
    result = out.result;
    return out.doc;
  }, key);
  return result;
}
