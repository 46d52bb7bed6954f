"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc";
import { formatDuration, formatRelative, formatTimestamp } from "./format";
import { EmptyState, ErrorBlock, LoadingBlock } from "./panel-ui";
import { isRunActive } from "./run-state";
import { runDuration, useRunList } from "./run-history";
import { StatusBadge } from "./status-badge";
import { useNow } from "./use-now";
import "./runs-table.css";

const TRIGGERS = { ui: "Studio", cli: "CLI", api: "API" } as const;

export function runHref(run: { id: number; pipelineId: number }): string {
  return `/pipelines/${run.pipelineId}?run=${run.id}`;
}

/** Every run across pipelines, newest first, each linking to its pipeline opened at that run. */
export function RunsTable({ limit = 200 }: { limit?: number }) {
  const trpc = useTRPC();
  const runs = useRunList(undefined, limit);
  const pipelines = useQuery(trpc.pipelines.list.queryOptions());
  const names = useMemo(() => new Map((pipelines.data ?? []).map((p) => [p.id, p.name])), [pipelines.data]);
  const anyActive = runs.data?.some((r) => isRunActive(r.status)) ?? false;
  const now = useNow(anyActive ? 1_000 : 30_000);

  if (runs.error) return <ErrorBlock title="Could not load the runs" message={runs.error.message} />;
  if (runs.isPending) return <LoadingBlock label="Loading runs…" />;
  if (runs.data.length === 0) {
    return (
      <EmptyState title="No runs yet" testId="runs-empty">
        Open a pipeline and press Run. Runs from the studio, the CLI and the API all appear here.
      </EmptyState>
    );
  }
  return (
    <div className="rt-wrap">
      <table className="rt" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Pipeline</th>
            <th>Version</th>
            <th>Status</th>
            <th>Trigger</th>
            <th>Started</th>
            <th className="rt-num">Duration</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.data.map((run) => (
            <tr key={run.id} data-testid="runs-table-row" data-run-id={run.id}>
              <td className="rt-id">
                <Link href={runHref(run)}>#{run.id}</Link>
              </td>
              <td className="rt-pipeline">
                <Link href={`/pipelines/${run.pipelineId}`}>{names.get(run.pipelineId) ?? `Pipeline ${run.pipelineId}`}</Link>
              </td>
              <td className="rt-muted">v{run.versionNumber}</td>
              <td>
                <StatusBadge status={run.status} />
                {run.error && (
                  <div className="rt-error" title={run.error}>
                    {run.error}
                  </div>
                )}
              </td>
              <td className="rt-muted">
                {TRIGGERS[run.trigger] ?? run.trigger}
                {run.forceFrom && ` · from ${run.forceFrom}`}
              </td>
              <td title={formatTimestamp(run.startedAt ?? run.createdAt)}>{formatRelative(run.startedAt ?? run.createdAt, now)}</td>
              <td className="rt-num">{formatDuration(runDuration(run, now))}</td>
              <td className="rt-open">
                <Link href={runHref(run)}>Open →</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
