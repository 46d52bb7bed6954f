"use client";

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { AlertIcon } from "@/components/ui/icons";
import { kindLabel } from "@/lib/editor/connection";
import type { StageFlowNode } from "@/lib/editor/flow";
import { issueTextOnNode } from "@/lib/editor/issues";
import type { StagePort } from "@/lib/editor/types";
import { useEditorRuntime } from "./editor-context";
import { NodeStatusStrip } from "./node-status";
import { categoryColor, portColor } from "./theme";
import styles from "./node.module.css";

/**
 * The one node component: everything it shows (title, category colour, ports, status) comes from
 * the stage's catalog entry and the current run, so a new stage needs no UI code.
 */
function StageNodeImpl({ id, data, selected }: NodeProps<StageFlowNode>) {
  const { catalog, runNodes, issuesByNode } = useEditorRuntime();
  const stage = catalog.get(data.stageId);
  const view = runNodes[id];
  const issues = issuesByNode.get(id) ?? [];
  const status = view?.status ?? "idle";

  const classes = [
    styles.node,
    selected && styles.selected,
    issues.length > 0 && styles.invalid,
    status === "failed" && styles.failed,
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div
      className={classes}
      data-testid={`node-${id}`}
      data-status={status}
      style={{ "--accent": categoryColor(stage?.category) } as React.CSSProperties}
    >
      <div className={styles.header}>
        <div className={styles.titles}>
          <div className={styles.title}>{data.label ?? stage?.title ?? data.stageId}</div>
          <div className={styles.subtitle}>{data.label && stage ? `${stage.title} · ${id}` : id}</div>
        </div>
        {stage?.prefers === "gpu" && (
          <span className={styles.gpu} title="Runs on a GPU worker when one is available">
            GPU
          </span>
        )}
      </div>

      {stage ? (
        <div className={styles.ports}>
          <div className={styles.portCol}>
            {stage.inputs.map((port) => (
              <PortRow key={port.name} nodeId={id} port={port} side="in" />
            ))}
          </div>
          <div className={styles.portCol}>
            {stage.outputs.map((port) => (
              <PortRow key={port.name} nodeId={id} port={port} side="out" />
            ))}
          </div>
        </div>
      ) : (
        <div className={styles.missingStage}>Unknown stage “{data.stageId}”</div>
      )}

      {view && <NodeStatusStrip view={view} />}

      {issues.length > 0 && (
        <div className={styles.issue} data-testid={`node-issue-${id}`} title={issues.map(issueTextOnNode).join("\n")}>
          <AlertIcon size={12} />
          <span>
            {issueTextOnNode(issues[0])}
            {issues.length > 1 && ` (+${issues.length - 1} more)`}
          </span>
        </div>
      )}
    </div>
  );
}

function PortRow({ nodeId, port, side }: { nodeId: string; port: StagePort; side: "in" | "out" }) {
  const isInput = side === "in";
  const optional = "optional" in port && port.optional;
  const color = portColor(port.type);
  return (
    <div
      className={`${styles.port} ${isInput ? "" : styles.portOut}`}
      title={`${kindLabel(port.type)} ${isInput ? "input" : "output"}${optional ? " (optional)" : ""}${port.description ? `: ${port.description}` : ""}`}
    >
      <Handle
        type={isInput ? "target" : "source"}
        position={isInput ? Position.Left : Position.Right}
        id={port.name}
        className={styles.handle}
        style={{ background: color }}
        data-testid={`${side}-${nodeId}-${port.name}`}
        data-porttype={port.type}
      />
      <span className={`${styles.portLabel} ${optional ? styles.optional : ""}`}>{port.label}</span>
    </div>
  );
}

export const StageNode = memo(StageNodeImpl);
