"use client";

import { createContext, useContext } from "react";
import type { Catalog, GraphIssue, NodeRunView, RunSummary, StageInfo } from "@/lib/editor/types";

/**
 * Server-derived data the editor's leaves need (catalog, current run, validation issues), handed
 * down once instead of through every prop list. It is read-only: it mirrors react-query results.
 */
export interface EditorRuntime {
  pipelineId: number;
  stages: StageInfo[];
  catalog: Catalog;
  runId: number | null;
  run: RunSummary | null;
  runNodes: Record<string, NodeRunView>;
  issues: GraphIssue[];
  issuesByNode: ReadonlyMap<string, GraphIssue[]>;
}

/** Commands shared by the toolbar, the keyboard and the inspector. */
export interface EditorActions {
  saveNow(): Promise<unknown>;
  runPipeline(forceFrom?: string): void;
  selectRun(runId: number): void;
  /** A short message near the canvas (connection refused, run failed to start). */
  notify(message: string): void;
}

export const EditorRuntimeContext = createContext<EditorRuntime | null>(null);
export const EditorActionsContext = createContext<EditorActions | null>(null);

export function useEditorRuntime(): EditorRuntime {
  const value = useContext(EditorRuntimeContext);
  if (!value) throw new Error("useEditorRuntime must be used inside the pipeline editor");
  return value;
}

export function useEditorActions(): EditorActions {
  const value = useContext(EditorActionsContext);
  if (!value) throw new Error("useEditorActions must be used inside the pipeline editor");
  return value;
}

export function groupIssuesByNode(issues: readonly GraphIssue[]): Map<string, GraphIssue[]> {
  const byNode = new Map<string, GraphIssue[]>();
  for (const issue of issues) {
    if (!issue.nodeId) continue;
    byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue]);
  }
  return byNode;
}
