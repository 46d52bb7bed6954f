"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useRef } from "react";
import { useTRPC } from "@/lib/trpc";
import type { RunLogLine } from "@/server/api-types";
import { EmptyState, ErrorBlock, LoadingBlock } from "./panel-ui";
import "./logs-tab.css";

const time = new Intl.DateTimeFormat("en-US", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hour12: false,
});

/** The node's log lines. While the run is active they stream in (see useRunState); a slow poll backs that up. */
export function useNodeLogs(runId: number | null, nodeId: string, live: boolean) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.runs.logs.queryOptions(runId === null ? skipToken : { runId, nodeId }),
    refetchInterval: live ? 3_000 : false,
  });
}

export interface LogsTabProps {
  runId: number | null;
  nodeId: string;
  live: boolean;
  /** A cached node ran in an earlier run; this run has nothing to log for it. */
  cached?: boolean;
}

export function LogsTab({ runId, nodeId, live, cached }: LogsTabProps) {
  const logs = useNodeLogs(runId, nodeId, live);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lines: RunLogLine[] = logs.data ?? [];

  // Follow new lines only while the reader is at the bottom; scrolling up to read stops following.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  useEffect(() => {
    pinned.current = true;
  }, [runId, nodeId]);

  if (runId === null) {
    return <EmptyState title="No logs yet">Run the pipeline; each node's log appears here while it runs.</EmptyState>;
  }
  if (logs.error) return <ErrorBlock title="Could not load the logs" message={logs.error.message} />;
  if (logs.isPending) return <LoadingBlock label="Loading logs…" />;
  if (lines.length === 0 && cached) {
    return (
      <EmptyState title="Served from cache">
        Nothing ran for this node in this run, so it has no log here. The run that computed its output is in Run history.
      </EmptyState>
    );
  }
  if (lines.length === 0) {
    return (
      <EmptyState title={live ? "Waiting for log lines" : "No log lines"}>
        {live ? "Lines appear here as the node writes them." : "This node wrote nothing to its log in this run."}
      </EmptyState>
    );
  }
  const warnings = lines.filter((l) => l.level !== "info").length;
  return (
    <div className="rs-logs" data-testid="node-logs">
      <div className="rs-logs-meta">
        <span>
          {lines.length} {lines.length === 1 ? "line" : "lines"}
          {warnings > 0 && ` · ${warnings} ${warnings === 1 ? "warning or error" : "warnings or errors"}`}
        </span>
        {live && <span className="rs-live">live</span>}
      </div>
      <div
        ref={scrollRef}
        className="rs-logs-scroll"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {lines.map((line) => (
          <div key={line.id} className={`rs-log rs-log-${line.level}`} data-level={line.level}>
            <span className="rs-log-time">{time.format(new Date(line.at))}</span>
            <span className="rs-log-level">{line.level === "info" ? "" : line.level}</span>
            <span className="rs-log-message">{line.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
