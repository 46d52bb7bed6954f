"use client";

import { useState } from "react";
import { MetricsView } from "@/components/evaluation/metrics-view";
import { ValidationReportView } from "@/components/evaluation/validation-report-view";
import { TuningReportView } from "@/components/evaluation/search-results";
import type { NodeRunView, RunSummary } from "@/server/api-types";
import type { ArtifactKind, ArtifactRef } from "@/server/artifacts/types";
import type { StageInfo } from "@/server/stages/registry";
import { ArtifactSummary } from "./artifact-summary";
import { formatBytes, formatCount } from "./format";
import { NodeErrorCallout } from "./node-error";
import { EmptyState, ProgressBar, Segmented } from "./panel-ui";
import { TablePreview } from "./table-preview";

/** Kind names as the editor's ports say them (a local copy: server modules stay out of the bundle). */
const KIND_LABELS: Partial<Record<ArtifactKind, string>> = {
  table: "Table",
  model: "Model",
  transform: "Fitted transform",
  metrics: "Metrics",
  report: "Report",
  onnx: "ONNX model",
};

/** Kinds stored as JSON, whose full content the summary can show on request. */
const JSON_KINDS = new Set<string>(["model", "transform"]);

/** The view for one artifact, chosen by what it holds. */
function ArtifactView({ artifact }: { artifact: ArtifactRef }) {
  switch (artifact.kind) {
    case "table":
      return <TablePreview hash={artifact.hash} />;
    case "metrics":
      return <MetricsView hash={artifact.hash} />;
    case "report":
      return artifact.summary?.kind === "tuning" ? (
        <TuningReportView hash={artifact.hash} />
      ) : (
        <ValidationReportView hash={artifact.hash} />
      );
    default:
      // Models, fitted transforms and binary kinds (ONNX): their stored summary, JSON where there is some.
      return <ArtifactSummary artifact={artifact} showJson={JSON_KINDS.has(artifact.kind)} />;
  }
}

/** "800 rows" for a table port, so the port switch says what each output holds. */
function portBadge(artifact: ArtifactRef | undefined): string | null {
  const rows = artifact?.summary?.rows;
  if (artifact?.kind === "table" && typeof rows === "number") return `${formatCount(rows)} rows`;
  return null;
}

function WaitingState({ node }: { node: NodeRunView }) {
  if (node.status === "running") {
    return (
      <div className="rs-running" data-testid="output-running">
        <div className="rs-running-line">
          <span>Running{node.progressMessage ? `: ${node.progressMessage}` : "…"}</span>
          {typeof node.progress === "number" && <span className="rs-running-pct">{Math.round(node.progress * 100)}%</span>}
        </div>
        <ProgressBar value={node.progress} />
        <div className="rs-running-hint">Outputs appear here when the node finishes. Its log is live on the Logs tab.</div>
      </div>
    );
  }
  const copy: Partial<Record<NodeRunView["status"], [string, string]>> = {
    pending: ["Waiting for upstream nodes", "This node runs once the nodes feeding it have finished."],
    queued: ["Queued", "Waiting for a free worker."],
    skipped: ["Skipped", "An upstream node failed or the run stopped before this node could run. Fix the failure and run again."],
    cancelled: ["Cancelled", "The run was cancelled before this node finished. Run the pipeline again to see its output."],
  };
  const [title, fallback] = copy[node.status] ?? ["No output", "This node has not produced output in this run."];
  // A skipped node's "error" is the engine's reason (which upstream node stopped it): say that.
  const body = node.status === "skipped" && node.error ? `${node.error.message} Fix that node and run again.` : fallback;
  return <EmptyState title={title}>{body}</EmptyState>;
}

export interface OutputTabProps {
  run: RunSummary | null;
  node: NodeRunView | null;
  stage: StageInfo;
}

export function OutputTab({ run, node, stage }: OutputTabProps) {
  const [port, setPort] = useState<string | null>(null);

  if (!run) {
    return (
      <EmptyState title="Run the pipeline to see this node's output">
        Press Run in the toolbar. Tables, metrics, reports and models appear here as each node finishes.
      </EmptyState>
    );
  }
  if (!node) {
    return (
      <EmptyState title={`Not part of run #${run.id}`}>
        This node was added after that run started. Run the pipeline again to see its output.
      </EmptyState>
    );
  }
  if (node.status === "failed") {
    return (
      <div className="rs-output">
        {node.error && <NodeErrorCallout error={node.error} />}
        <div className="rs-output-hint">Fix the problem and run again: nodes that already succeeded are reused from the cache.</div>
      </div>
    );
  }
  if (node.status !== "succeeded" && node.status !== "cached") return <WaitingState node={node} />;

  const outputs = node.outputs ?? {};
  // Ports in the stage's declared order; anything else the node wrote goes after them.
  const ports = [
    ...stage.outputs.map((p) => ({ name: p.name, label: p.label })),
    ...Object.keys(outputs)
      .filter((name) => !stage.outputs.some((p) => p.name === name))
      .map((name) => ({ name, label: name })),
  ].filter((p) => outputs[p.name]);
  if (ports.length === 0) return <EmptyState title="No outputs">This node finished without writing any output.</EmptyState>;

  // A report or metrics output says more than a pass-through table (Validate), so it opens first.
  const preferred = ports.find((p) => outputs[p.name].kind === "report" || outputs[p.name].kind === "metrics") ?? ports[0];
  const current = ports.find((p) => p.name === port) ?? preferred;
  const artifact = outputs[current.name];
  return (
    <div className="rs-output" data-testid={`output-${current.name}`}>
      <div className="rs-output-bar">
        {ports.length > 1 ? (
          <Segmented
            label="Output port"
            value={current.name}
            onChange={setPort}
            items={ports.map((p) => ({ key: p.name, label: p.label, badge: portBadge(outputs[p.name]), testId: `output-port-${p.name}` }))}
          />
        ) : (
          <span className="rs-output-port">{current.label}</span>
        )}
        <span className="rs-output-meta" title={`sha256 ${artifact.hash}`}>
          {KIND_LABELS[artifact.kind] ?? artifact.kind} · {formatBytes(artifact.size)} · <span className="rs-mono">{artifact.hash.slice(0, 10)}</span>
          {node.status === "cached" && <span className="rs-output-cached"> · from cache</span>}
        </span>
      </div>
      <ArtifactView key={artifact.hash} artifact={artifact} />
    </div>
  );
}
