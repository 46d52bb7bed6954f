"use client";

import type { ReactNode } from "react";
import type { NodeRunView, RunSummary } from "@/server/api-types";
import type { StageInfo } from "@/server/stages/registry";
import { formatDuration, formatTimestamp } from "./format";
import { NodeErrorCallout } from "./node-error";
import { EmptyState, KeyValues } from "./panel-ui";
import { StatusBadge } from "./status-badge";
import "./details-tab.css";

/** Why the node was or was not recomputed: the cache key's parts that changed, or that none did. */
function CacheExplanationView({ node }: { node: NodeRunView }) {
  const cache = node.cache;
  if (!cache) return <span className="rs-muted">—</span>;
  return (
    <div className="rs-cache" data-testid="cache-explanation" data-cached={cache.cached}>
      <div className="rs-cache-verdict">
        {cache.cached ? "Served from cache" : cache.reasons.length ? "Recomputed because" : "Recomputed"}
      </div>
      {cache.reasons.length > 0 && (
        <ul className="rs-cache-reasons">
          {cache.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function device(node: NodeRunView): ReactNode {
  if (node.status === "cached") return <span className="rs-muted">none: served from cache</span>;
  if (!node.device && !node.backend) return <span className="rs-muted">—</span>;
  return [node.device, node.backend].filter(Boolean).join(" · ");
}

export interface DetailsTabProps {
  run: RunSummary | null;
  node: NodeRunView | null;
  stage: StageInfo;
}

export function DetailsTab({ run, node, stage }: DetailsTabProps) {
  const stageRow: [string, ReactNode] = [
    "Stage",
    <>
      {stage.title} <span className="rs-muted rs-mono">{stage.id} v{stage.version}</span>
    </>,
  ];
  if (!run || !node) {
    return (
      <div className="rs-details">
        <KeyValues rows={[stageRow, ["Runs on", stage.prefers === "gpu" ? "GPU when available, else CPU" : stage.prefers === "params" ? "Depends on its settings (GPU for neural networks when available)" : "CPU"]]} />
        <EmptyState title="Not run yet">Run the pipeline to see this node's status, timing, device and cache decision.</EmptyState>
      </div>
    );
  }
  return (
    <div className="rs-details" data-testid="node-details">
      {node.error && node.status === "failed" && <NodeErrorCallout error={node.error} />}
      {node.error && node.status !== "failed" && <div className="rs-callout rs-callout-note">{node.error.message}</div>}
      <KeyValues
        rows={[
          ["Status", <StatusBadge key="s" status={node.status} progress={node.progress} />],
          stageRow,
          ["Run", `#${run.id} · version ${run.versionNumber}${run.forceFrom ? ` · re-run from ${run.forceFrom}` : ""}`],
          // A cached node did no work in this run: no attempt, no time worth reporting.
          ["Attempt", node.attempt > 0 ? String(node.attempt) : "—"],
          ["Started", formatTimestamp(node.startedAt)],
          ["Finished", formatTimestamp(node.finishedAt)],
          ["Duration", node.status === "cached" ? "— (cached)" : formatDuration(node.durationMs)],
          ["Device", device(node)],
          ["Cache", <CacheExplanationView key="c" node={node} />],
        ]}
      />
    </div>
  );
}
