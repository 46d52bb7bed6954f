import type { GraphIssue } from "../api-types";
import type { StageDefinition } from "../stages/types";
import { topologicalOrder } from "./graph";
import type { PipelineDocument } from "./pipeline-doc";

type StageLookup = (id: string) => StageDefinition<any> | undefined;

/** Thrown when a pipeline cannot run; `issues` are bound to nodes, edges and params. */
export class GraphValidationError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(
      issues.length === 1
        ? issues[0].message
        : `The pipeline has ${issues.length} problems:\n` + issues.map((i) => `- ${i.message}`).join("\n"),
    );
    this.name = "GraphValidationError";
  }
}

/**
 * Everything that can be known to be wrong before running: unknown stages, broken or mistyped
 * edges, missing required inputs, params the stage's schema rejects, and cycles.
 */
export function validatePipeline(doc: PipelineDocument, lookup: StageLookup): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const nodes = new Map<string, { stage?: StageDefinition<any>; label: string }>();
  const edgeIds = new Set<string>();

  for (const node of doc.nodes) {
    const stage = lookup(node.stage);
    const label = node.label ?? stage?.title ?? node.stage;
    const name = `"${label}" (${node.id})`;
    if (nodes.has(node.id)) {
      issues.push({ code: "duplicate-id", nodeId: node.id, message: `Two nodes share the id "${node.id}".` });
      continue;
    }
    nodes.set(node.id, { stage, label: name });
    if (!stage) {
      issues.push({ code: "unknown-stage", nodeId: node.id, message: `Node ${name} uses an unknown stage "${node.stage}".` });
      continue;
    }
    if (node.stageVersion > stage.version) {
      issues.push({
        code: "stage-version",
        nodeId: node.id,
        message: `Node ${name} was made with ${stage.title} v${node.stageVersion}, newer than this studio's v${stage.version}.`,
      });
    }
    const parsed = stage.params.safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join(".");
        issues.push({
          code: "param",
          nodeId: node.id,
          field: field || undefined,
          message: `Node ${name}: ${field ? `param "${field}"` : "params"}: ${issue.message}`,
        });
      }
    }
  }

  const connectedInputs = new Map<string, string>();
  for (const edge of doc.edges) {
    if (edgeIds.has(edge.id)) issues.push({ code: "duplicate-id", edgeId: edge.id, message: `Two edges share the id "${edge.id}".` });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      issues.push({
        code: "missing-node",
        edgeId: edge.id,
        message: `Edge ${edge.id} connects a node that does not exist (${!source ? edge.source : edge.target}).`,
      });
      continue;
    }
    if (!source.stage || !target.stage) continue;
    const out = source.stage.outputs[edge.sourcePort];
    const input = target.stage.inputs[edge.targetPort];
    if (!out || !input) {
      issues.push({
        code: "unknown-port",
        edgeId: edge.id,
        nodeId: !out ? edge.source : edge.target,
        message: !out
          ? `Node ${source.label} has no output "${edge.sourcePort}".`
          : `Node ${target.label} has no input "${edge.targetPort}".`,
      });
      continue;
    }
    if (out.type !== input.type) {
      issues.push({
        code: "port-type",
        edgeId: edge.id,
        nodeId: edge.target,
        field: edge.targetPort,
        message: `Can't connect ${out.label} (${out.type}) of ${source.label} to input "${input.label}" (${input.type}) of ${target.label}.`,
      });
    }
    const key = `${edge.target}\u0000${edge.targetPort}`;
    if (connectedInputs.has(key)) {
      issues.push({
        code: "input-taken",
        edgeId: edge.id,
        nodeId: edge.target,
        field: edge.targetPort,
        message: `Input "${input.label}" of ${target.label} has more than one connection; keep one.`,
      });
    }
    connectedInputs.set(key, edge.id);
  }

  for (const node of doc.nodes) {
    const entry = nodes.get(node.id);
    if (!entry?.stage) continue;
    for (const [port, spec] of Object.entries(entry.stage.inputs)) {
      if (!spec.optional && !connectedInputs.has(`${node.id}\u0000${port}`)) {
        issues.push({
          code: "missing-input",
          nodeId: node.id,
          field: port,
          message: `Node ${entry.label} needs its input "${spec.label}" connected.`,
        });
      }
    }
  }

  const { cyclic } = topologicalOrder(doc);
  if (cyclic.length) {
    issues.push({
      code: "cycle",
      nodeId: cyclic[0],
      message: `The pipeline has a cycle through ${cyclic.map((id) => nodes.get(id)?.label ?? id).join(", ")}; remove one of its edges.`,
    });
  }
  return issues;
}
