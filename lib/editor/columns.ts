/**
 * Column names a node can pick from, taken from what its upstream table output looked like in the
 * current run (the output's summary.schema). Unknown before a run: the inspector then falls back
 * to a free text input.
 */
import type { Catalog, NodeRunView, PipelineDocument } from "./types";

interface SchemaEntry {
  name: string;
  kind?: string;
}

function schemaOf(summary: Record<string, unknown> | undefined): SchemaEntry[] | null {
  const schema = summary?.schema;
  if (!Array.isArray(schema)) return null;
  const entries = schema.filter((c): c is SchemaEntry => typeof c?.name === "string");
  return entries.length ? entries : null;
}

/** Columns of the first connected table input of `nodeId` (inputs in the stage's declared order). */
export function upstreamColumns(
  doc: PipelineDocument,
  catalog: Catalog,
  nodeId: string,
  runNodes: Readonly<Record<string, NodeRunView>>,
): SchemaEntry[] | null {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const stage = node && catalog.get(node.stage);
  if (!stage) return null;
  for (const input of stage.inputs) {
    if (input.type !== "table") continue;
    const edge = doc.edges.find((e) => e.target === nodeId && e.targetPort === input.name);
    if (!edge) continue;
    const ref = runNodes[edge.source]?.outputs?.[edge.sourcePort];
    const columns = schemaOf(ref?.summary);
    if (columns) return columns;
  }
  return null;
}
