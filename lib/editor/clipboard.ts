/**
 * Copy and paste of nodes. A copy keeps only edges between copied nodes; a paste gives every node
 * a fresh id (so the pasted nodes never collide with, or silently replace, existing ones) and
 * rewires the copied edges to those ids.
 */
import { nextEdgeId, nextNodeId } from "./ids";
import type { PipelineDocument, PipelineEdge, PipelineNode, XY } from "./types";

export interface Clipboard {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

export function copyNodes(doc: PipelineDocument, ids: Iterable<string>): Clipboard | null {
  const wanted = new Set(ids);
  const nodes = doc.nodes.filter((n) => wanted.has(n.id));
  if (nodes.length === 0) return null;
  const edges = doc.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target));
  return structuredClone({ nodes, edges });
}

export function pasteNodes(
  doc: PipelineDocument,
  clip: Clipboard,
  offset: XY = { x: 40, y: 40 },
): { doc: PipelineDocument; ids: string[] } {
  const takenNodes = new Set(doc.nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = nextNodeId(n.stage, takenNodes);
    takenNodes.add(id);
    idMap.set(n.id, id);
    return {
      ...structuredClone(n),
      id,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    };
  });
  const takenEdges = new Set(doc.edges.map((e) => e.id));
  const edges = clip.edges.map((e) => {
    const source = idMap.get(e.source)!;
    const target = idMap.get(e.target)!;
    const id = nextEdgeId(source, target, takenEdges);
    takenEdges.add(id);
    return { ...e, id, source, target };
  });
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}
