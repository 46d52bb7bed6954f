"use client";

import { matchQuery, skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useMemo } from "react";
import { useTRPC } from "@/lib/trpc";
import type { NodeRunView, RunEvent, RunSummary } from "@/server/api-types";
import {
  appendLogLine,
  applyRunEvent,
  isRunActive,
  nodesById,
  unwrapRunEvent,
  type RunDetail,
  type TrackedRunEvent,
} from "./run-state";

function differs(a: RunSummary, b: RunSummary): boolean {
  return a.status !== b.status || a.startedAt !== b.startedAt || a.finishedAt !== b.finishedAt;
}

export interface RunState {
  run: RunSummary | null;
  nodes: Record<string, NodeRunView>;
  /** True while the run is queued or running and its event stream is open. */
  live: boolean;
}

/** The run detail as cached by react-query (kept current by `useRunState`'s subscription). */
export function useRunDetail(runId: number | null, options: { pollWhileActiveMs?: number } = {}) {
  const trpc = useTRPC();
  const { pollWhileActiveMs } = options;
  return useQuery({
    ...trpc.runs.get.queryOptions(runId === null ? skipToken : { runId }),
    refetchInterval: pollWhileActiveMs
      ? (query) => (isRunActive(query.state.data?.run.status) ? pollWhileActiveMs : false)
      : undefined,
  });
}

/** One node's view in a run; null before the run has it or while no run is selected. */
export function useRunNode(runId: number | null, nodeId: string): { run: RunSummary | null; node: NodeRunView | null } {
  const { data } = useRunDetail(runId);
  const node = data?.nodes.find((n) => n.nodeId === nodeId) ?? null;
  return { run: data?.run ?? null, node };
}

/**
 * Loads a run and follows it live. Events are folded into the react-query cache entry of
 * runs.get (not into a store), so every component reading that query (the canvas, the output
 * panel) sees the same, current state; streamed log lines are appended to the node's cached
 * runs.logs list. Call it once per page: each call opens its own event stream.
 */
export function useRunState(runId: number | null): RunState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The slow poll is a safety net only: if the stream drops without a final event, the view
  // still reaches the run's real end state.
  const detail = useRunDetail(runId, { pollWhileActiveMs: 10_000 });
  const status = detail.data?.run.status;
  // A finished run needs no stream: runs.get already has its final state.
  const follow = runId !== null && detail.isSuccess && isRunActive(status);

  const onEvent = useCallback(
    (payload: RunEvent | TrackedRunEvent) => {
      if (runId === null) return;
      const event = unwrapRunEvent(payload);
      if (event.type === "log") {
        const nodeId = event.log.nodeId;
        if (nodeId === null) return;
        queryClient.setQueryData(trpc.runs.logs.queryKey({ runId, nodeId }), (lines) =>
          appendLogLine(lines, event.log),
        );
        return;
      }
      queryClient.setQueryData(trpc.runs.get.queryKey({ runId }), (state: RunDetail | undefined) =>
        applyRunEvent(state, event),
      );
      if (event.type === "run" && !isRunActive(event.run.status)) {
        // Finished: the history lists show it with its final status and duration.
        void queryClient.invalidateQueries(trpc.runs.list.pathFilter());
      }
    },
    [queryClient, runId, trpc],
  );

  useSubscription(
    trpc.runs.events.subscriptionOptions(
      follow && runId !== null ? { runId, lastEventId: String(detail.data?.lastEventId ?? 0) } : skipToken,
      {
      onData: onEvent,
      onError: () => {
        // The link retries on its own; refetch so the view is not stuck on a stale state meanwhile.
        if (runId !== null) void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
      },
      },
    ),
  );

  // "Resume" restarts a finished run under the same id, so nothing here would notice. Any runs
  // list that shows this run in another state than the detail (the editor refetches one after
  // start and resume) makes the detail reload, which turns following back on if it is active.
  useEffect(() => {
    if (runId === null) return;
    const listFilter = { queryKey: trpc.runs.list.pathKey() };
    const detailKey = trpc.runs.get.queryKey({ runId });
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== "updated" || event.action.type !== "success" || !matchQuery(listFilter, event.query)) return;
      const listed = (event.query.state.data as RunSummary[] | undefined)?.find((r) => r.id === runId);
      const current = queryClient.getQueryData(detailKey);
      if (listed && current && !isRunActive(current.run.status) && differs(listed, current.run)) {
        void queryClient.invalidateQueries({ queryKey: detailKey });
      }
    });
  }, [queryClient, runId, trpc]);

  const data = detail.data;
  const nodes = useMemo(() => (data ? nodesById(data.nodes) : {}), [data]);
  return { run: data?.run ?? null, nodes, live: follow };
}
