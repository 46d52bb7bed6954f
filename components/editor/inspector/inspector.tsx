"use client";

import { TextInput } from "@/components/ui/input";
import { setLabel } from "@/lib/editor/doc-ops";
import { isParamIssue, issueTextOnNode } from "@/lib/editor/issues";
import { docStore, useDocument } from "@/lib/editor/store";
import type { PipelineNode } from "@/lib/editor/types";
import { useEditorRuntime } from "../editor-context";
import { categoryColor } from "../theme";
import { useView, viewStore } from "../view-store";
import { NodeRunFacts } from "./node-run-facts";
import { ParamsForm } from "./params-form";
import styles from "./inspector.module.css";

/** Right column: the selected node's settings, or the pipeline's issues when nothing is selected. */
export function Inspector() {
  const doc = useDocument();
  const selected = useView((s) => s.selectedNodes);
  const node = selected.size === 1 ? doc?.nodes.find((n) => selected.has(n.id)) : undefined;

  return (
    <aside className={styles.inspector} data-testid="inspector" aria-label="Inspector">
      <div className={styles.scroll}>
        {node ? (
          <NodeInspector key={node.id} node={node} />
        ) : selected.size > 1 ? (
          <div className={styles.empty}>
            <div className={styles.emptyTitle}>{selected.size} nodes selected</div>
            Copy with Ctrl+C, delete with Delete, or select one node to edit it.
          </div>
        ) : (
          <PipelineOverview />
        )}
      </div>
    </aside>
  );
}

function NodeInspector({ node }: { node: PipelineNode }) {
  const { catalog, issuesByNode, runNodes } = useEditorRuntime();
  const stage = catalog.get(node.stage);
  const issues = issuesByNode.get(node.id) ?? [];
  const view = runNodes[node.id];
  // Param issues sit next to their field; the rest (unconnected inputs, unknown stage) go on top.
  const general = issues.filter((i) => !isParamIssue(i));

  return (
    <>
      <div className={styles.head}>
        <div className={styles.kicker}>
          <span className={styles.kickerDot} style={{ background: categoryColor(stage?.category) }} />
          {stage?.category ?? "Unknown stage"}
        </div>
        <h2 className={styles.headTitle}>{stage?.title ?? node.stage}</h2>
        {stage?.description && <p className={styles.headDesc}>{stage.description}</p>}
        <div className={styles.nodeId}>id: {node.id}</div>
      </div>

      <div className={styles.section}>
        <div className={styles.field}>
          <label className={styles.label} htmlFor="node-label">
            Label
          </label>
          <TextInput
            id="node-label"
            data-testid="node-label"
            placeholder={stage?.title ?? "Label"}
            value={node.label ?? ""}
            onChange={(e) => docStore.getState().edit((d) => setLabel(d, node.id, e.target.value), `label:${node.id}`)}
          />
        </div>
      </div>

      {general.length > 0 && (
        <div className={styles.section}>
          <ul className={styles.issueList}>
            {general.map((i, n) => (
              <li key={n} className={styles.issueItem}>
                {issueTextOnNode(i)}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className={styles.section}>
        <h3 className={styles.sectionTitle}>Settings</h3>
        {stage ? (
          <ParamsForm node={node} stage={stage} issues={issues} />
        ) : (
          <p className={styles.error}>The stage “{node.stage}” is not installed; this node cannot run.</p>
        )}
      </div>

      {view && (
        <div className={styles.section}>
          <h3 className={styles.sectionTitle}>Last run</h3>
          <NodeRunFacts view={view} />
        </div>
      )}
    </>
  );
}

/** Nothing selected: what is wrong with the pipeline as a whole, each issue one click from its node. */
function PipelineOverview() {
  const doc = useDocument();
  const { issues, run } = useEditorRuntime();
  return (
    <>
      <div className={styles.head}>
        <div className={styles.kicker}>Pipeline</div>
        <h2 className={styles.headTitle}>{doc?.name}</h2>
        <p className={styles.headDesc}>
          {doc?.nodes.length ?? 0} nodes · {doc?.edges.length ?? 0} connections
        </p>
      </div>
      {run?.error && (
        <div className={styles.section}>
          <h3 className={styles.sectionTitle}>Run #{run.id}</h3>
          <div className={styles.runError} data-testid="run-error">
            {run.error}
          </div>
        </div>
      )}
      <div className={styles.section}>
        <h3 className={styles.sectionTitle}>Problems</h3>
        {issues.length === 0 ? (
          <p className={styles.help}>No problems found. Select a node to edit its settings.</p>
        ) : (
          <ul className={styles.issueList} data-testid="pipeline-issues">
            {issues.map((i, n) => (
              <li
                key={n}
                className={styles.issueItem}
                onClick={() => i.nodeId && viewStore.getState().select([i.nodeId])}
                title={i.nodeId ? "Select the node" : undefined}
              >
                {i.nodeId && <strong>{i.nodeId}: </strong>}
                {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
