"use client";

import { useMemo } from "react";
import { upstreamColumns } from "@/lib/editor/columns";
import { isParamIssue, issueTextOnField } from "@/lib/editor/issues";
import { setParam, setParams } from "@/lib/editor/doc-ops";
import { fieldsFromSchema } from "@/lib/editor/params-schema";
import { visibleFields } from "@/lib/editor/params-validate";
import { docStore, useDocument } from "@/lib/editor/store";
import type { GraphIssue, PipelineNode, StageInfo } from "@/lib/editor/types";
import { useEditorRuntime } from "../editor-context";
import { ParamField } from "./param-field";
import styles from "./inspector.module.css";

/** The params form of one node, generated from its stage's JSON Schema. */
export function ParamsForm({ node, stage, issues }: { node: PipelineNode; stage: StageInfo; issues: GraphIssue[] }) {
  const doc = useDocument();
  const { catalog, runNodes } = useEditorRuntime();
  const fields = useMemo(() => fieldsFromSchema(stage.paramsSchema), [stage.paramsSchema]);
  const columns = useMemo(
    () => (doc ? upstreamColumns(doc, catalog, node.id, runNodes) : null),
    [doc, catalog, node.id, runNodes],
  );
  const shown = visibleFields(fields, node.params);

  if (fields.length === 0) return <p className={styles.help}>This stage has no settings.</p>;

  const edit = (key: string, value: unknown) =>
    // Keyed per field: typing into one field is a single undo step.
    docStore.getState().edit((d) => setParam(d, node.id, key, value), `param:${node.id}:${key}`);
  const patch = (values: Record<string, unknown>) => docStore.getState().edit((d) => setParams(d, node.id, values));

  return (
    <div className={styles.fields} data-testid="params-form">
      {shown.map((field) => (
        <ParamField
          key={`${node.id}:${field.name}`}
          field={field}
          value={node.params[field.name]}
          onChange={(v) => edit(field.name, v)}
          onPatch={patch}
          serverError={issueFor(issues, field.name)}
          columns={columns}
          testId={`param-${field.name}`}
        />
      ))}
    </div>
  );
}

function issueFor(issues: GraphIssue[], name: string): string | undefined {
  const issue = issues.find((i) => isParamIssue(i, name));
  return issue && issueTextOnField(issue);
}
