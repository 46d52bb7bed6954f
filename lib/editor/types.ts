/**
 * Types the editor shares with the server. Type-only imports: the editor must never pull server
 * modules (zod schemas, registries) into the browser bundle.
 */
import type { PipelineDocument, PipelineEdge, PipelineNode } from "@/server/engine/pipeline-doc";
import type { StageInfo } from "@/server/stages/registry";
import type { GraphIssue, NodeRunView, RunSummary } from "@/server/api-types";
import type { ArtifactKind } from "@/server/artifacts/types";

export type { PipelineDocument, PipelineEdge, PipelineNode, StageInfo, GraphIssue, NodeRunView, RunSummary, ArtifactKind };

export type StagePort = StageInfo["inputs"][number] | StageInfo["outputs"][number];

/** Stages by id, built once per catalog response. */
export type Catalog = ReadonlyMap<string, StageInfo>;

export type XY = { x: number; y: number };

/** An edge as React Flow proposes it: handle ids are port names. */
export interface ConnectionLike {
  source: string | null;
  sourceHandle?: string | null;
  target: string | null;
  targetHandle?: string | null;
}

export function catalogById(stages: readonly StageInfo[] | undefined): Catalog {
  return new Map((stages ?? []).map((s) => [s.id, s]));
}

export function emptyDocument(name: string): PipelineDocument {
  return { schema: 1, name, nodes: [], edges: [] };
}
