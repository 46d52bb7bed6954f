/**
 * Pure edits of a pipeline document. Each returns a new document (or the same object when nothing
 * changed, so the store can skip no-op undo steps). No React, no store: tested directly.
 */
import { nextEdgeId, nextNodeId } from "./ids";
import type { PipelineDocument, PipelineEdge, PipelineNode, StageInfo, XY } from "./types";

export function nodeIds(doc: PipelineDocument): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

export function addNode(doc: PipelineDocument, stage: StageInfo, position: XY): { doc: PipelineDocument; id: string } {
  const id = nextNodeId(stage.id, nodeIds(doc));
  const node: PipelineNode = {
    id,
    stage: stage.id,
    stageVersion: stage.version,
    // Copied so that editing one node's params can never alias another's.
    params: structuredClone(stage.defaults),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

export function moveNodes(doc: PipelineDocument, positions: Readonly<Record<string, XY>>): PipelineDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const position = { x: Math.round(p.x), y: Math.round(p.y) };
    if (position.x === n.position.x && position.y === n.position.y) return n;
    changed = true;
    return { ...n, position };
  });
  return changed ? { ...doc, nodes } : doc;
}

function updateNode(doc: PipelineDocument, id: string, update: (n: PipelineNode) => PipelineNode): PipelineDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = update(n);
    changed = next !== n;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Sets one param; `undefined` removes the key so the stage's default applies. */
export function setParam(doc: PipelineDocument, id: string, key: string, value: unknown): PipelineDocument {
  return updateNode(doc, id, (n) => {
    if (Object.is(n.params[key], value)) return n;
    const params = { ...n.params };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...n, params };
  });
}

/** Merges several params at once (an upload sets `source` and `uploadId` together: one undo step). */
export function setParams(doc: PipelineDocument, id: string, patch: Record<string, unknown>): PipelineDocument {
  return Object.entries(patch).reduce((d, [key, value]) => setParam(d, id, key, value), doc);
}

/** An empty label removes it, so the node falls back to the stage title. */
export function setLabel(doc: PipelineDocument, id: string, label: string): PipelineDocument {
  const trimmed = label.trim() ? label.slice(0, 120) : undefined;
  return updateNode(doc, id, (n) => {
    if (n.label === trimmed) return n;
    const { label: _old, ...rest } = n;
    return trimmed === undefined ? rest : { ...rest, label: trimmed };
  });
}

export function addEdge(
  doc: PipelineDocument,
  edge: Omit<PipelineEdge, "id">,
): { doc: PipelineDocument; id: string } {
  const existing = doc.edges.find(
    (e) =>
      e.source === edge.source &&
      e.sourcePort === edge.sourcePort &&
      e.target === edge.target &&
      e.targetPort === edge.targetPort,
  );
  if (existing) return { doc, id: existing.id };
  const id = nextEdgeId(edge.source, edge.target, new Set(doc.edges.map((e) => e.id)));
  return { doc: { ...doc, edges: [...doc.edges, { id, ...edge }] }, id };
}

/** Removes nodes (with every edge touching them) and edges, as one edit. */
export function removeElements(
  doc: PipelineDocument,
  nodeIdsToRemove: Iterable<string>,
  edgeIdsToRemove: Iterable<string> = [],
): PipelineDocument {
  const nodesGone = new Set(nodeIdsToRemove);
  const edgesGone = new Set(edgeIdsToRemove);
  const nodes = doc.nodes.filter((n) => !nodesGone.has(n.id));
  const edges = doc.edges.filter((e) => !edgesGone.has(e.id) && !nodesGone.has(e.source) && !nodesGone.has(e.target));
  if (nodes.length === doc.nodes.length && edges.length === doc.edges.length) return doc;
  return { ...doc, nodes, edges };
}
