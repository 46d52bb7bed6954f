/**
 * Whether an edge may be drawn, and if not, why, in words the user can act on. The engine checks
 * the same rules on the saved version (GraphIssue "port-type", "input-taken", "cycle"); the editor
 * checks them while dragging so a bad edge is never drawn in the first place.
 */
import type { Catalog, ConnectionLike, PipelineDocument, StagePort } from "./types";

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** "table" -> "Table": artifact kinds are lower-case identifiers. */
export function kindLabel(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** Is there a path from `from` to `to` following edges forward? */
export function reaches(doc: PipelineDocument, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(out.get(id) ?? []));
  }
  return false;
}

function findPort(ports: readonly StagePort[] | undefined, name: string | null | undefined): StagePort | undefined {
  return ports?.find((p) => p.name === name);
}

export function checkConnection(doc: PipelineDocument, catalog: Catalog, c: ConnectionLike): ConnectionCheck {
  const sourceNode = doc.nodes.find((n) => n.id === c.source);
  const targetNode = doc.nodes.find((n) => n.id === c.target);
  if (!sourceNode || !targetNode) return { ok: false, reason: "That node no longer exists." };
  if (sourceNode.id === targetNode.id) return { ok: false, reason: "A node can't feed its own input." };

  const sourceStage = catalog.get(sourceNode.stage);
  const targetStage = catalog.get(targetNode.stage);
  const out = findPort(sourceStage?.outputs, c.sourceHandle);
  const input = findPort(targetStage?.inputs, c.targetHandle);
  if (!out || !input) return { ok: false, reason: "Unknown port: connect an output (right) to an input (left)." };

  if (out.type !== input.type) {
    return {
      ok: false,
      reason: `Can't connect ${kindLabel(out.type)} to ${kindLabel(input.type)} input '${input.name}'.`,
    };
  }
  const taken = doc.edges.find((e) => e.target === targetNode.id && e.targetPort === input.name);
  if (taken) {
    const same = taken.source === sourceNode.id && taken.sourcePort === out.name;
    return {
      ok: false,
      reason: same
        ? "These ports are already connected."
        : `Input '${input.name}' already has a connection; delete it first.`,
    };
  }
  if (reaches(doc, targetNode.id, sourceNode.id)) {
    return { ok: false, reason: "That edge would create a cycle: pipelines must flow one way." };
  }
  return { ok: true };
}
