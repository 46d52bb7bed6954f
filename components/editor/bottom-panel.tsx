"use client";

import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { NodeOutputPanel } from "@/components/runs/node-output-panel";
import { RunHistory } from "@/components/runs/run-history";
import { Button } from "@/components/ui/button";
import { ChevronDownIcon } from "@/components/ui/icons";
import { useDocument } from "@/lib/editor/store";
import { useEditorRuntime } from "./editor-context";
import { useSingleSelectedNode } from "./view-store";
import styles from "./bottom-panel.module.css";

const MIN_HEIGHT = 140;
const DEFAULT_HEIGHT = 220;
const STORAGE_KEY = "studio.editor.bottomPanel";

type Tab = "output" | "runs";

/** Under the canvas: the selected node's output in the current run, and the run history. */
export function BottomPanel({ onSelectRun }: { onSelectRun: (runId: number) => void }) {
  const { pipelineId, runId, catalog } = useEditorRuntime();
  const doc = useDocument();
  const nodeId = useSingleSelectedNode();
  const node = nodeId ? doc?.nodes.find((n) => n.id === nodeId) : undefined;
  const stage = node ? catalog.get(node.stage) : undefined;
  const [tab, setTab] = useState<Tab>("output");
  const { height, collapsed, setCollapsed, startResize, resizing } = usePanelSize();

  return (
    <section
      className={`${styles.panel} ${collapsed ? styles.collapsed : ""}`}
      style={{ height: collapsed ? 37 : height }}
      data-testid="bottom-panel"
    >
      {!collapsed && (
        <div className={`${styles.resizer} ${resizing ? styles.resizing : ""}`} onPointerDown={startResize} role="separator" aria-orientation="horizontal" />
      )}
      <div className={styles.tabs} role="tablist">
        <TabButton active={tab === "output" && !collapsed} onClick={() => (setTab("output"), setCollapsed(false))}>
          Output{node && <span className={styles.tabMeta}>{node.label ?? node.id}</span>}
        </TabButton>
        <TabButton active={tab === "runs" && !collapsed} onClick={() => (setTab("runs"), setCollapsed(false))}>
          Run history
        </TabButton>
        <div className={styles.spacer} />
        <Button variant="ghost" size="sm" iconOnly title={collapsed ? "Expand panel" : "Collapse panel"} onClick={() => setCollapsed(!collapsed)} data-testid="bottom-panel-toggle">
          <ChevronDownIcon size={14} style={{ transform: collapsed ? "rotate(180deg)" : undefined }} />
        </Button>
      </div>
      {!collapsed && (
        <div className={styles.body}>
          {tab === "runs" ? (
            <RunHistory pipelineId={pipelineId} currentRunId={runId} onSelect={onSelectRun} />
          ) : node && stage ? (
            <NodeOutputPanel runId={runId} nodeId={node.id} stage={stage} />
          ) : (
            <div className={styles.placeholder}>Select a node to see its logs and output from the current run.</div>
          )}
        </div>
      )}
    </section>
  );
}

function TabButton({ active, onClick, children }: { active: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={active} className={`${styles.tab} ${active ? styles.tabActive : ""}`} onClick={onClick}>
      {children}
    </button>
  );
}

/** Height and collapsed state, remembered across visits; dragged by the top edge. */
function usePanelSize() {
  const [height, setHeight] = useState(DEFAULT_HEIGHT);
  const [collapsed, setCollapsed] = useState(false);
  const [resizing, setResizing] = useState(false);
  const loaded = useRef(false);

  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as { height?: number; collapsed?: boolean } | null;
      if (saved?.height) setHeight(saved.height);
      if (saved?.collapsed) setCollapsed(true);
    } catch {}
    loaded.current = true;
  }, []);

  useEffect(() => {
    if (loaded.current) localStorage.setItem(STORAGE_KEY, JSON.stringify({ height, collapsed }));
  }, [height, collapsed]);

  function startResize(e: ReactPointerEvent) {
    e.preventDefault();
    const startY = e.clientY;
    const startH = height;
    setResizing(true);
    const onMove = (ev: PointerEvent) => {
      const max = window.innerHeight * 0.7;
      setHeight(Math.round(Math.min(max, Math.max(MIN_HEIGHT, startH + startY - ev.clientY))));
    };
    const onUp = () => {
      setResizing(false);
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
  }

  return { height, collapsed, setCollapsed, startResize, resizing };
}
