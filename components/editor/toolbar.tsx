"use client";

import { useReactFlow } from "@xyflow/react";
import Link from "next/link";
import { StatusBadge } from "@/components/runs/status-badge";
import { Button } from "@/components/ui/button";
import { FitIcon, PlayIcon, RedoIcon, RerunIcon, ResumeIcon, StopIcon, UndoIcon } from "@/components/ui/icons";
import { docStore, useCanUndoRedo, useDocStore } from "@/lib/editor/store";
import type { RunSummary } from "@/lib/editor/types";
import { SaveStatus } from "./save-status";
import { ShortcutsHelp } from "./shortcuts-help";
import type { SaveState } from "./use-autosave";
import { VersionMenu } from "./version-menu";
import { useSingleSelectedNode } from "./view-store";
import styles from "./toolbar.module.css";

export interface RunControls {
  run: RunSummary | null;
  runId: number | null;
  active: boolean;
  canResume: boolean;
  starting: boolean;
  cancelling: boolean;
  resuming: boolean;
  runPipeline(forceFrom?: string): void;
  cancel(): void;
  resume(): void;
}

export function Toolbar({ pipelineId, save, onSave, controls }: {
  pipelineId: number;
  save: SaveState;
  onSave: () => void;
  controls: RunControls;
}) {
  const name = useDocStore((s) => s.history?.present.name ?? "");
  const { canUndo, canRedo } = useCanUndoRedo();
  const { fitView } = useReactFlow();
  const selected = useSingleSelectedNode();
  const { run } = controls;

  return (
    <div className={styles.toolbar} data-testid="editor-toolbar">
      <input
        className={styles.name}
        value={name}
        aria-label="Pipeline name"
        data-testid="pipeline-name"
        onChange={(e) => {
          const value = e.target.value;
          // The document requires a name; an emptied field keeps the old one until typed.
          if (value.trim()) docStore.getState().edit((d) => ({ ...d, name: value }), "name");
        }}
      />
      <SaveStatus state={save} onRetry={onSave} />
      <VersionMenu pipelineId={pipelineId} currentNumber={save.kind === "saved" ? (save.version?.number ?? null) : null} />

      <div className={styles.spacer} />

      <div className={styles.group}>
        <Button variant="ghost" iconOnly title="Undo (Ctrl+Z)" disabled={!canUndo} onClick={() => docStore.getState().undo()} data-testid="undo-button">
          <UndoIcon />
        </Button>
        <Button variant="ghost" iconOnly title="Redo (Ctrl+Shift+Z)" disabled={!canRedo} onClick={() => docStore.getState().redo()} data-testid="redo-button">
          <RedoIcon />
        </Button>
        <Button variant="ghost" iconOnly title="Fit view" onClick={() => void fitView({ padding: 0.1, duration: 200, maxZoom: 1 })} data-testid="fit-view">
          <FitIcon />
        </Button>
        <ShortcutsHelp />
      </div>

      <div className={styles.divider} />

      <span className={styles.runStatus}>
        {run ? (
          <>
            <Link href={`/runs/${run.id}`} className={styles.runLink} title="Open the run view">
              Run #{run.id}
            </Link>
            <span data-testid="run-status" data-status={run.status} title={run.error ?? undefined}>
              <StatusBadge status={run.status} />
            </span>
          </>
        ) : (
          <span data-testid="run-status" data-status="none">
            Not run yet
          </span>
        )}
      </span>

      {selected && (
        <Button
          size="md"
          title="Run this node and everything downstream, ignoring the cache for them"
          disabled={controls.active || controls.starting}
          onClick={() => controls.runPipeline(selected)}
          data-testid="rerun-from-here"
        >
          <RerunIcon size={14} />
          Re-run from here
        </Button>
      )}
      {controls.active && (
        <Button variant="danger" disabled={controls.cancelling} onClick={controls.cancel} data-testid="cancel-button">
          <StopIcon size={12} />
          Cancel
        </Button>
      )}
      {!controls.active && controls.canResume && (
        <Button disabled={controls.resuming} onClick={controls.resume} data-testid="resume-button" title="Continue the run, reusing what already succeeded">
          <ResumeIcon size={14} />
          Resume
        </Button>
      )}
      <Button
        variant="primary"
        disabled={controls.active || controls.starting}
        onClick={() => controls.runPipeline()}
        data-testid="run-button"
        title="Save and run (Ctrl+Enter)"
      >
        <PlayIcon size={12} />
        {controls.starting ? "Starting…" : "Run"}
      </Button>
    </div>
  );
}
