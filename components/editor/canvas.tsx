"use client";

import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type NodeTypes,
} from "@xyflow/react";
import { useMemo, useRef, useState, type DragEvent } from "react";
import { addNode } from "@/lib/editor/doc-ops";
import { EMPTY_VIEW, toFlowEdges, toFlowNodes, type PortFlowEdge, type StageFlowNode } from "@/lib/editor/flow";
import { editWith, useDocument } from "@/lib/editor/store";
import { CloseIcon, AlertIcon } from "@/components/ui/icons";
import { useEditorRuntime } from "./editor-context";
import { STAGE_DRAG_TYPE } from "./palette";
import { StageNode } from "./stage-node";
import { categoryColor, portColor } from "./theme";
import { useFlowHandlers } from "./use-flow-handlers";
import { useView, viewStore } from "./view-store";
import styles from "./canvas.module.css";

const NODE_TYPES: NodeTypes = { stage: StageNode };
/** Half a node's size: a dropped node is centred on the cursor rather than hanging off it. */
const DROP_OFFSET = { x: 114, y: 28 };

export interface Notice {
  kind: "connection" | "error";
  message: string;
  /** Bumps on every notice so the same message shown twice restarts its timer. */
  seq: number;
}

export function Canvas({ notice, onNotify, onDismiss }: {
  notice: Notice | null;
  onNotify: (message: string) => void;
  onDismiss: () => void;
}) {
  const doc = useDocument();
  const { catalog } = useEditorRuntime();
  const view = useView((s) => s);
  const selectedEdges = useView((s) => s.selectedEdges);
  const { screenToFlowPosition } = useReactFlow();
  const handlers = useFlowHandlers(catalog, onNotify);
  const [dropActive, setDropActive] = useState(false);
  const previous = useRef<StageFlowNode[]>([]);

  const nodes = useMemo(() => {
    if (!doc) return [];
    previous.current = toFlowNodes(doc, view, previous.current);
    return previous.current;
  }, [doc, view]);

  const edges = useMemo(() => {
    if (!doc) return [];
    // Depends on the edge selection only, so dragging a node does not rebuild every edge.
    return toFlowEdges(doc, catalog, { ...EMPTY_VIEW, selectedEdges }).map((e) => ({
      ...e,
      style: { stroke: portColor(e.data?.portType), strokeWidth: e.selected ? 2.5 : 1.75 },
    }));
  }, [doc, catalog, selectedEdges]);

  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes(STAGE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDropActive(true);
  }

  function onDrop(event: DragEvent) {
    setDropActive(false);
    const stage = catalog.get(event.dataTransfer.getData(STAGE_DRAG_TYPE));
    if (!stage) return;
    event.preventDefault();
    const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const id = editWith((d) => {
      const r = addNode(d, stage, { x: at.x - DROP_OFFSET.x, y: at.y - DROP_OFFSET.y });
      return { doc: r.doc, result: r.id };
    });
    if (id) viewStore.getState().select([id]);
  }

  return (
    <div
      className={`${styles.canvas} ${dropActive ? styles.dropActive : ""}`}
      onDragOver={onDragOver}
      onDragLeave={() => setDropActive(false)}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <ReactFlow<StageFlowNode, PortFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={handlers.onNodesChange}
        onEdgesChange={handlers.onEdgesChange}
        onConnect={handlers.onConnect}
        onConnectEnd={handlers.onConnectEnd}
        isValidConnection={handlers.isValidConnection}
        // Deletion, copy/paste and select-all go through our keyboard hook so each is one undo step.
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#d4d4d8" />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap
          position="bottom-right"
          style={{ width: 168, height: 112 }}
          pannable
          zoomable
          nodeBorderRadius={6}
          nodeColor={(n) => categoryColor(catalog.get((n as StageFlowNode).data.stageId)?.category)}
        />
      </ReactFlow>

      {doc && doc.nodes.length === 0 && (
        <div className={styles.empty}>
          <div>
            <div className={styles.emptyTitle}>Drag a stage here to start</div>
            Start with an Ingest stage such as Load CSV, then connect outputs to inputs.
          </div>
        </div>
      )}

      {notice && (
        <div
          key={notice.seq}
          className={styles.notice}
          role="alert"
          data-testid={notice.kind === "connection" ? "connection-error" : "editor-notice"}
        >
          <AlertIcon size={14} />
          <span>{notice.message}</span>
          <button type="button" onClick={onDismiss} aria-label="Dismiss">
            <CloseIcon size={12} />
          </button>
        </div>
      )}
    </div>
  );
}
