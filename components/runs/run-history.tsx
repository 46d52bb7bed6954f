"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import type { RunSummary } from "@/server/api-types";
import { elapsedMs, formatDuration, formatRelative, formatTimestamp } from "./format";
import { EmptyState, ErrorBlock, LoadingBlock } from "./panel-ui";
import { isRunActive } from "./run-state";
import { StatusBadge } from "./status-badge";
import { useNow } from "./use-now";
import "./run-history.css";

const TRIGGER_LABELS: Record<RunSummary["trigger"], string> = { ui: "Studio", cli: "CLI", api: "API" };

/** The runs list, polled while any run in it is still going (finished runs never change). */
export function useRunList(pipelineId: number | undefined, limit = 50) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.runs.list.queryOptions({ pipelineId, limit }),
    refetchInterval: (query) => (query.state.data?.some((r) => isRunActive(r.status)) ? 3_000 : false),
  });
}

export function runDuration(run: RunSummary, now: number): number | null {
  return elapsedMs(run.startedAt, run.finishedAt, now);
}

export interface RunHistoryProps {
  pipelineId: number;
  currentRunId: number | null;
  onSelect: (runId: number) => void;
}

/** A pipeline's runs, newest first; choosing one shows its results on the canvas and in the panel. */
export function RunHistory({ pipelineId, currentRunId, onSelect }: RunHistoryProps) {
  const runs = useRunList(pipelineId);
  const anyActive = runs.data?.some((r) => isRunActive(r.status)) ?? false;
  const now = useNow(anyActive ? 1_000 : 30_000);

  let body;
  if (runs.error) body = <ErrorBlock title="Could not load the runs" message={runs.error.message} />;
  else if (runs.isPending) body = <LoadingBlock label="Loading runs…" />;
  else if (runs.data.length === 0) {
    body = <EmptyState title="No runs yet">Press Run to start the first one. Every run is kept here with its results.</EmptyState>;
  } else {
    body = (
      <ul className="rh-list">
        {runs.data.map((run) => {
          const current = run.id === currentRunId;
          return (
            <li key={run.id}>
              <button
                type="button"
                className={`rh-item ${current ? "rh-current" : ""}`}
                aria-current={current ? "true" : undefined}
                data-testid="run-history-item"
                data-run-id={run.id}
                onClick={() => onSelect(run.id)}
              >
                <span className="rh-id">#{run.id}</span>
                <span className="rh-version">v{run.versionNumber}</span>
                <StatusBadge status={run.status} />
                <span className="rh-when" title={formatTimestamp(run.startedAt ?? run.createdAt)}>
                  {formatRelative(run.startedAt ?? run.createdAt, now)}
                </span>
                <span className="rh-trigger">
                  {TRIGGER_LABELS[run.trigger] ?? run.trigger}
                  {run.forceFrom && <span title={`Re-run from ${run.forceFrom}`}> · from {run.forceFrom}</span>}
                </span>
                <span className="rh-duration">{formatDuration(runDuration(run, now))}</span>
                {run.error && (
                  <span className="rh-error" title={run.error}>
                    {run.error}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <div className="rh" data-testid="run-history">
      {body}
    </div>
  );
}
