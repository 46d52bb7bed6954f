"use client";

import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { addNode } from "@/lib/editor/doc-ops";
import { docStore, editWith } from "@/lib/editor/store";
import { catalogById, type PipelineDocument, type StageInfo } from "@/lib/editor/types";
import { useTRPC } from "@/lib/trpc";
import { BottomPanel } from "./bottom-panel";
import { Canvas, type Notice } from "./canvas";
import {
  EditorActionsContext,
  EditorRuntimeContext,
  groupIssuesByNode,
  type EditorActions,
  type EditorRuntime,
} from "./editor-context";
import { Inspector } from "./inspector/inspector";
import { Palette } from "./palette";
import { Toolbar } from "./toolbar";
import { useAutosave } from "./use-autosave";
import { useEditorKeyboard } from "./use-editor-keyboard";
import { usePipelineRun } from "./use-pipeline-run";
import { useValidation } from "./use-validation";
import { viewStore } from "./view-store";
import styles from "./editor.module.css";

const NOTICE_MS = 5_000;

/** The editor page: loads the pipeline and the catalog, then hands over to the workspace. */
export function PipelineEditor({ pipelineId, initialRunId = null }: { pipelineId: number; initialRunId?: number | null }) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.catalog.list.queryOptions());
  // The document is read once per open, always fresh (a cached copy may predate our own saves);
  // afterwards the store owns it and autosave writes it back.
  const pipeline = useQuery({ ...trpc.pipelines.get.queryOptions({ id: pipelineId }), refetchOnMount: "always" });

  const error = catalog.error ?? pipeline.error;
  if (error) {
    return (
      <div className={styles.state}>
        <div className={styles.stateError}>
          <h2>Could not open this pipeline</h2>
          <p>{error.message}</p>
          <Link href="/">Back to pipelines</Link>
        </div>
      </div>
    );
  }
  if (!catalog.data || !pipeline.data || !pipeline.isFetchedAfterMount) {
    return <div className={styles.state}>Loading pipeline…</div>;
  }

  return (
    <ReactFlowProvider>
      <Workspace
        pipelineId={pipelineId}
        initialRunId={initialRunId}
        stages={catalog.data}
        document={pipeline.data.document}
        version={{ versionId: pipeline.data.version.id, number: pipeline.data.version.number }}
      />
    </ReactFlowProvider>
  );
}

function Workspace({ pipelineId, initialRunId, stages, document, version }: {
  pipelineId: number;
  initialRunId: number | null;
  stages: StageInfo[];
  document: PipelineDocument;
  version: { versionId: number; number: number };
}) {
  const autosave = useAutosave(pipelineId);
  const [ready, setReady] = useState(false);
  const { screenToFlowPosition } = useReactFlow();
  const [notice, setNotice] = useState<Notice | null>(null);
  const seq = useRef(0);

  // Opening a pipeline replaces the document and forgets the previous one's undo history. Keyed on
  // the id alone: a background refetch of the same pipeline must not wipe the user's edits.
  const { reset } = autosave;
  useEffect(() => {
    docStore.getState().load(pipelineId, document);
    viewStore.getState().reset();
    reset(document, version);
    setReady(true);
  }, [pipelineId, reset]);

  const notify = useCallback((message: string, kind: Notice["kind"] = "error") => {
    setNotice({ message, kind, seq: ++seq.current });
  }, []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const run = usePipelineRun(pipelineId, autosave.saveNow, notify, initialRunId);
  const issues = useValidation();
  const catalog = useMemo(() => catalogById(stages), [stages]);

  const runtime: EditorRuntime = useMemo(
    () => ({
      pipelineId,
      stages,
      catalog,
      runId: run.runId,
      run: run.run,
      runNodes: run.nodes,
      issues,
      issuesByNode: groupIssuesByNode(issues),
    }),
    [pipelineId, stages, catalog, run.runId, run.run, run.nodes, issues],
  );

  const { saveNow } = autosave;
  const { runPipeline, selectRun } = run;
  const actions: EditorActions = useMemo(
    () => ({ saveNow, runPipeline: (f?: string) => void runPipeline(f), selectRun, notify }),
    [saveNow, runPipeline, selectRun, notify],
  );
  const runBusy = run.active || run.starting;
  const keys = useMemo(
    () => ({
      save: () => void saveNow().catch(() => undefined),
      // Same rule as the Run button: one run at a time from the editor.
      run: () => void (runBusy ? undefined : runPipeline()),
    }),
    [saveNow, runPipeline, runBusy],
  );
  useEditorKeyboard(keys);

  /** Double-click / Enter in the palette: add at the centre of the visible canvas. */
  const addAtCentre = useCallback(
    (stage: StageInfo) => {
      const el = globalThis.document?.querySelector("[data-testid=canvas]");
      const r = el?.getBoundingClientRect();
      const at = screenToFlowPosition(r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : { x: 400, y: 300 });
      const id = editWith((d) => {
        const added = addNode(d, stage, { x: at.x - 114, y: at.y - 28 });
        return { doc: added.doc, result: added.id };
      });
      if (id) viewStore.getState().select([id]);
    },
    [screenToFlowPosition],
  );

  if (!ready) return <div className={styles.state}>Loading pipeline…</div>;

  return (
    <EditorRuntimeContext.Provider value={runtime}>
      <EditorActionsContext.Provider value={actions}>
        <div className={styles.editor}>
          <Toolbar pipelineId={pipelineId} save={autosave.state} onSave={keys.save} controls={run} />
          <div className={styles.columns}>
            <Palette stages={stages} onAdd={addAtCentre} />
            <div className={styles.center}>
              <Canvas notice={notice} onNotify={(m) => notify(m, "connection")} onDismiss={() => setNotice(null)} />
              <BottomPanel onSelectRun={selectRun} />
            </div>
            <Inspector />
          </div>
        </div>
      </EditorActionsContext.Provider>
    </EditorRuntimeContext.Provider>
  );
}
