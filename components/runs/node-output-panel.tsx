"use client";

import { useState } from "react";
import type { StageInfo } from "@/server/stages/registry";
import { DetailsTab } from "./details-tab";
import { elapsedMs, formatDuration } from "./format";
import { LogsTab, useNodeLogs } from "./logs-tab";
import { OutputTab } from "./output-tab";
import { Tabs } from "./panel-ui";
import { isRunActive } from "./run-state";
import { StatusBadge } from "./status-badge";
import { useNow } from "./use-now";
import { useRunNode } from "./use-run-state";
import "./node-output-panel.css";

type PanelTab = "output" | "logs" | "details";

export interface NodeOutputPanelProps {
  /** The run to show; null before the pipeline has run. */
  runId: number | null;
  nodeId: string;
  stage: StageInfo;
  className?: string;
}

/**
 * Everything about one node in one run: its outputs, its log and how it ran. It reads the run from
 * the react-query cache that `useRunState` keeps live, so the page must call `useRunState(runId)`
 * once (the editor does) for the panel to update while the run is going.
 */
export function NodeOutputPanel({ runId, nodeId, stage, className }: NodeOutputPanelProps) {
  const [tab, setTab] = useState<PanelTab>("output");
  const { run, node } = useRunNode(runId, nodeId);
  const live = isRunActive(run?.status);
  const logs = useNodeLogs(runId, nodeId, live);
  const running = node?.status === "running";
  const now = useNow(running ? 1_000 : null);
  const duration = node ? (node.durationMs ?? (running ? elapsedMs(node.startedAt, null, now) : null)) : null;
  const logCount = logs.data?.length ?? 0;
  const logAlerts = logs.data?.some((l) => l.level !== "info") ?? false;

  return (
    <section className={`rs-panel ${className ?? ""}`} data-testid="output-panel" data-node-id={nodeId}>
      {/* One row: the tabs, then what this node is and how it ran, so the body keeps the height. */}
      <header className="rs-panel-head">
        <Tabs<PanelTab>
          label="Node output"
          value={tab}
          onChange={setTab}
          items={[
            { key: "output", label: "Output", testId: "tab-output" },
            {
              key: "logs",
              label: "Logs",
              testId: "tab-logs",
              badge: logCount > 0 ? <span className={logAlerts ? "rs-tab-alert" : undefined}>{logCount}</span> : null,
            },
            { key: "details", label: "Details", testId: "tab-details", badge: node?.status === "failed" ? <span className="rs-tab-alert">!</span> : null },
          ]}
        />
        <div className="rs-panel-status">
          <span className="rs-panel-title" title={`${stage.title} · ${nodeId}`}>
            {stage.title} <span className="rs-mono rs-muted">{nodeId}</span>
          </span>
          {node && <StatusBadge status={node.status} progress={node.progress} />}
          {duration !== null && node?.status !== "cached" && <span className="rs-panel-duration">{formatDuration(duration)}</span>}
          {run && <span className="rs-panel-run">run #{run.id}</span>}
        </div>
      </header>
      <div className="rs-panel-body" role="tabpanel">
        {tab === "output" && <OutputTab key={nodeId} run={run} node={node} stage={stage} />}
        {tab === "logs" && <LogsTab runId={runId} nodeId={nodeId} live={live} cached={node?.status === "cached"} />}
        {tab === "details" && <DetailsTab run={run} node={node} stage={stage} />}
      </div>
    </section>
  );
}
