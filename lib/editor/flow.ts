/**
 * The document as React Flow nodes and edges. React Flow is driven in controlled mode: the
 * document gives ids, positions, ports and labels; view state adds selection, measured sizes and
 * the live position of a node being dragged (which only reaches the document at drag end).
 */
import type { Edge, Node } from "@xyflow/react";
import type { Catalog, PipelineDocument, XY } from "./types";

export type StageNodeData = { stageId: string; label?: string };
export type StageFlowNode = Node<StageNodeData, "stage">;
export type PortEdgeData = { portType: string | null };
export type PortFlowEdge = Edge<PortEdgeData>;

export interface ViewState {
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  /** Positions of nodes mid-drag. */
  dragging: Readonly<Record<string, XY>>;
}

export const EMPTY_VIEW: ViewState = {
  selectedNodes: new Set(),
  selectedEdges: new Set(),
  measured: new Map(),
  dragging: {},
};

function sameNode(a: StageFlowNode, b: StageFlowNode): boolean {
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.dragging === b.dragging &&
    a.measured?.width === b.measured?.width &&
    a.measured?.height === b.measured?.height &&
    a.data.stageId === b.data.stageId &&
    a.data.label === b.data.label
  );
}

/**
 * Builds flow nodes, reusing the previous object for every node that did not change so React Flow
 * skips re-adopting it (it compares node objects by identity).
 */
export function toFlowNodes(doc: PipelineDocument, view: ViewState, previous: readonly StageFlowNode[] = []): StageFlowNode[] {
  const prevById = new Map(previous.map((n) => [n.id, n]));
  return doc.nodes.map((n) => {
    const next: StageFlowNode = {
      id: n.id,
      type: "stage",
      position: view.dragging[n.id] ?? n.position,
      data: { stageId: n.stage, label: n.label },
      selected: view.selectedNodes.has(n.id),
      dragging: n.id in view.dragging,
      measured: view.measured.get(n.id),
    };
    const prev = prevById.get(n.id);
    return prev && sameNode(prev, next) ? prev : next;
  });
}

export function toFlowEdges(doc: PipelineDocument, catalog: Catalog, view: ViewState): PortFlowEdge[] {
  const stageOf = new Map(doc.nodes.map((n) => [n.id, n.stage]));
  return doc.edges.map((e) => {
    const stage = catalog.get(stageOf.get(e.source) ?? "");
    const portType = stage?.outputs.find((p) => p.name === e.sourcePort)?.type ?? null;
    return {
      id: e.id,
      source: e.source,
      sourceHandle: e.sourcePort,
      target: e.target,
      targetHandle: e.targetPort,
      selected: view.selectedEdges.has(e.id),
      data: { portType },
    };
  });
}
