import type { NodeRunView, RunEvent, RunSummary } from "@/server/api-types";
import type { RunStatus } from "@/db/schema";

/** What runs.get returns, and the shape kept in the react-query cache while events stream in. */
export interface RunDetail {
  run: RunSummary;
  nodes: NodeRunView[];
  /** The last event already reflected in `nodes`: the live stream starts after it. */
  lastEventId: number;
}

/** tRPC's `tracked()` envelope, as the subscription delivers each event. */
export interface TrackedRunEvent {
  id: string;
  data: RunEvent;
}

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];

export function isRunActive(status: RunStatus | undefined | null): boolean {
  return status === "queued" || status === "running";
}

/** Accepts both the raw event and tRPC's `{ id, data }` envelope (the link delivers the latter). */
export function unwrapRunEvent(payload: RunEvent | TrackedRunEvent): RunEvent {
  return "data" in payload && payload.data && typeof payload.data === "object" && "type" in payload.data
    ? payload.data
    : (payload as RunEvent);
}

/**
 * Applies one run event to the cached run detail. Pure: returns the same object when nothing
 * changed (so react-query does not re-render for a no-op), a new one otherwise. Log events do not
 * touch the detail; logs live in their own per-node query.
 *
 * Events are applied unconditionally, in stream order. The stream replays the run's history
 * before going live, so a view loaded mid-run briefly steps through past states; guarding against
 * that by status or attempt would be wrong, because "resume" reuses the run and resets its nodes
 * to pending with attempt 0, and only the stream's order says which view is newest.
 */
export function applyRunEvent(state: RunDetail | undefined, event: RunEvent): RunDetail | undefined {
  switch (event.type) {
    case "run": {
      if (!state) return { run: event.run, nodes: [], lastEventId: 0 };
      if (event.run.id !== state.run.id) return state;
      return { ...state, run: event.run };
    }
    case "node": {
      if (!state) return state;
      const index = state.nodes.findIndex((n) => n.nodeId === event.node.nodeId);
      if (index === -1) return { ...state, nodes: [...state.nodes, event.node] };
      const nodes = state.nodes.slice();
      nodes[index] = event.node;
      return { ...state, nodes };
    }
    case "log":
      return state;
  }
}

/** Appends a streamed log line to a cached log list, once (the replay and the query overlap). */
export function appendLogLine<T extends { id: number }>(lines: T[] | undefined, line: T): T[] | undefined {
  if (!lines) return lines;
  if (lines.some((l) => l.id === line.id)) return lines;
  const last = lines[lines.length - 1];
  if (!last || last.id < line.id) return [...lines, line];
  return [...lines, line].sort((x, y) => x.id - y.id);
}

export function nodesById(nodes: readonly NodeRunView[]): Record<string, NodeRunView> {
  const map: Record<string, NodeRunView> = {};
  for (const node of nodes) map[node.nodeId] = node;
  return map;
}
