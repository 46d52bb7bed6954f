"use client";

import { statusTone } from "@/components/runs/status-badge";
import { formatDevice, formatDuration } from "@/lib/editor/format";
import type { NodeRunView } from "@/lib/editor/types";
import styles from "./inspector.module.css";

/** What happened to the node in the current run, with the error's pointers (line, column, hint). */
export function NodeRunFacts({ view }: { view: NodeRunView }) {
  const tone = statusTone(view.status);
  const device = formatDevice(view.device, view.backend);
  const err = view.error;
  const where = err && [err.field && `field ${err.field}`, err.line && `line ${err.line}`, err.row && `row ${err.row}`, err.column && `column '${err.column}'`].filter(Boolean).join(", ");
  return (
    <div>
      <dl className={styles.facts}>
        <dt>Status</dt>
        <dd style={{ color: tone.fg, fontWeight: 500 }}>{tone.label}</dd>
        {view.durationMs !== null && (
          <>
            <dt>Duration</dt>
            <dd>{formatDuration(view.durationMs)}</dd>
          </>
        )}
        {device && (
          <>
            <dt>Device</dt>
            <dd>{device}</dd>
          </>
        )}
        {view.attempt > 1 && (
          <>
            <dt>Attempt</dt>
            <dd>{view.attempt}</dd>
          </>
        )}
      </dl>
      {view.cache && view.cache.reasons.length > 0 && (
        <div style={{ marginTop: 10 }}>
          <div className={styles.help}>{view.cache.cached ? "Served from cache because" : "Ran because"}</div>
          <ul className={styles.reasons}>
            {view.cache.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {err && (
        <div className={styles.runError} data-testid="node-run-error">
          {err.message}
          {where && <div className={styles.hint}>At {where}</div>}
          {err.hint && <div className={styles.hint}>{err.hint}</div>}
        </div>
      )}
    </div>
  );
}
