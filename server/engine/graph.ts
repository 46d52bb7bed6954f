import type { PipelineDocument, PipelineEdge } from "./pipeline-doc";

/** Edges into each node, keyed by target node id. */
export function incomingEdges(doc: PipelineDocument): Map<string, PipelineEdge[]> {
  const incoming = new Map<string, PipelineEdge[]>(doc.nodes.map((n) => [n.id, []]));
  for (const edge of doc.edges) incoming.get(edge.target)?.push(edge);
  return incoming;
}

/**
 * Kahn's algorithm. Returns the nodes in an order where every edge points forward, and the ids
 * left over when the graph has a cycle (those nodes are on or behind it).
 */
export function topologicalOrder(doc: PipelineDocument): { order: string[]; cyclic: string[] } {
  const indegree = new Map(doc.nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const edge of doc.edges) {
    if (!indegree.has(edge.source) || !indegree.has(edge.target)) continue;
    indegree.set(edge.target, indegree.get(edge.target)! + 1);
    next.get(edge.source)!.push(edge.target);
  }
  const ready = doc.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const target of next.get(id)!) {
      const left = indegree.get(target)! - 1;
      indegree.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: doc.nodes.map((n) => n.id).filter((id) => !placed.has(id)) };
}

/** The node and everything downstream of it. */
export function withDescendants(doc: PipelineDocument, nodeId: string): Set<string> {
  const result = new Set([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const edge of doc.edges) {
      if (edge.source === id && !result.has(edge.target)) {
        result.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return result;
}
