"use client";

import type { EdgeChange, NodeChange, OnConnectEnd } from "@xyflow/react";
import { useCallback } from "react";
import { addEdge, moveNodes } from "@/lib/editor/doc-ops";
import { checkConnection } from "@/lib/editor/connection";
import type { StageFlowNode, PortFlowEdge } from "@/lib/editor/flow";
import { currentDocument, docStore } from "@/lib/editor/store";
import type { Catalog, ConnectionLike, XY } from "@/lib/editor/types";
import { viewStore } from "./view-store";

/**
 * Translates React Flow's change events into document edits and view-state updates. Positions
 * mid-drag are view state; the drag's end commits every moved node as one undo step.
 */
export function useFlowHandlers(catalog: Catalog, notify: (message: string) => void) {
  const onNodesChange = useCallback((changes: NodeChange<StageFlowNode>[]) => {
    const view = viewStore.getState();
    const live: Record<string, XY> = {};
    const done: Record<string, XY> = {};
    for (const c of changes) {
      if (c.type === "select") view.setSelected("node", c.id, c.selected);
      else if (c.type === "dimensions" && c.dimensions) view.setMeasured(c.id, c.dimensions);
      else if (c.type === "position") {
        const position = c.position ?? viewStore.getState().dragging[c.id];
        if (!position) continue;
        if (c.dragging) live[c.id] = position;
        else done[c.id] = position;
      }
      // "remove" is ignored: deletion goes through the keyboard handler as one undo step.
    }
    if (Object.keys(live).length) view.setDragging(live);
    if (Object.keys(done).length) {
      docStore.getState().edit((doc) => moveNodes(doc, done));
      view.endDrag(Object.keys(done));
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<PortFlowEdge>[]) => {
    const view = viewStore.getState();
    for (const c of changes) if (c.type === "select") view.setSelected("edge", c.id, c.selected);
  }, []);

  const isValidConnection = useCallback(
    (c: ConnectionLike) => {
      const doc = currentDocument();
      return doc ? checkConnection(doc, catalog, c).ok : false;
    },
    [catalog],
  );

  const onConnect = useCallback(
    (c: ConnectionLike) => {
      const doc = currentDocument();
      if (!doc || !c.source || !c.target || !c.sourceHandle || !c.targetHandle) return;
      if (!checkConnection(doc, catalog, c).ok) return;
      const { source, target, sourceHandle, targetHandle } = c;
      docStore
        .getState()
        .edit((d) => addEdge(d, { source, sourcePort: sourceHandle, target, targetPort: targetHandle }).doc);
    },
    [catalog],
  );

  /** React Flow only greys out a refused handle; say why, since "nothing happened" teaches nothing. */
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      const doc = currentDocument();
      if (!doc || state.isValid !== false || !state.toHandle || !state.fromHandle) return;
      const from = state.fromHandle;
      const to = state.toHandle;
      if (from.type === to.type) {
        notify(
          from.nodeId === to.nodeId && from.id === to.id
            ? "Drag to another node's port to connect."
            : `Connect an output (right side) to an input (left side), not two ${from.type === "source" ? "outputs" : "inputs"}.`,
        );
        return;
      }
      const [src, tgt] = from.type === "source" ? [from, to] : [to, from];
      const check = checkConnection(doc, catalog, {
        source: src.nodeId,
        sourceHandle: src.id,
        target: tgt.nodeId,
        targetHandle: tgt.id,
      });
      if (!check.ok) notify(check.reason);
    },
    [catalog, notify],
  );

  return { onNodesChange, onEdgesChange, isValidConnection, onConnect, onConnectEnd };
}
