"use client";

import { statusTone } from "@/components/runs/status-badge";
import { firstLine, formatDevice, formatDuration } from "@/lib/editor/format";
import { withoutNodeName } from "@/lib/editor/issues";
import type { NodeRunView } from "@/lib/editor/types";
import styles from "./node-status.module.css";

/** A node's state in the current run: status, progress, duration, device, cache reasons, error. */
export function NodeStatusStrip({ view }: { view: NodeRunView }) {
  const tone = statusTone(view.status);
  const device = formatDevice(view.device, view.backend);
  // A cached node did no work: its duration (the cache lookup) would only mislead.
  const duration = view.status === "running" || view.status === "cached" ? "" : formatDuration(view.durationMs);
  const meta = [duration, device].filter(Boolean).join(" · ");
  const failed = view.status === "failed";

  return (
    <div className={`${styles.strip} ${failed ? styles.failedStrip : ""}`} data-testid={`node-status-${view.nodeId}`}>
      <div className={styles.row}>
        {view.status === "cached" ? (
          <span className={styles.cachedBadge}>cached</span>
        ) : (
          <span className={styles.status} style={{ color: tone.fg }}>
            <span className={styles.dot} style={{ background: tone.fg }} />
            {tone.label}
          </span>
        )}
        {view.attempt > 1 && <span className={styles.meta}>attempt {view.attempt}</span>}
        {view.cache && view.cache.reasons.length > 0 && <CacheWhy cache={view.cache} />}
        {meta && <span className={styles.meta}>{meta}</span>}
      </div>

      {view.status === "running" && <Progress value={view.progress} message={view.progressMessage} />}
      {failed && view.error && (
        <div className={styles.error} title={view.error.message + (view.error.hint ? `\n${view.error.hint}` : "")}>
          {firstLine(withoutNodeName(view.error.message))}
        </div>
      )}
      <OutputSummary view={view} />
    </div>
  );
}

function Progress({ value, message }: { value: number | null; message: string | null }) {
  const known = typeof value === "number" && value > 0;
  return (
    <>
      <div className={styles.bar} role="progressbar" aria-valuenow={known ? Math.round(value * 100) : undefined}>
        <div
          className={`${styles.barFill} ${known ? "" : styles.indeterminate}`}
          style={known ? { width: `${Math.min(100, value * 100)}%` } : undefined}
        />
      </div>
      {(message || known) && (
        <div className={styles.message}>
          {known && `${Math.round(value * 100)}%`}
          {known && message && " · "}
          {message}
        </div>
      )}
    </>
  );
}

/** Hover card: why the node ran ("param C changed") or why it was served from the cache. */
function CacheWhy({ cache }: { cache: NonNullable<NodeRunView["cache"]> }) {
  return (
    <span className={styles.why} tabIndex={0} data-testid="cache-why">
      why?
      <span className={styles.whyCard} role="tooltip">
        <div className={styles.whyTitle}>{cache.cached ? "Why cached" : "Why it ran"}</div>
        <ul>
          {cache.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </span>
    </span>
  );
}

/** "1,000 rows × 12 cols" from a table output's summary, when the stage reported one. */
function OutputSummary({ view }: { view: NodeRunView }) {
  if (view.status !== "succeeded" && view.status !== "cached") return null;
  const first = Object.values(view.outputs ?? {})[0];
  const s = first?.summary ?? {};
  const rows = typeof s.rows === "number" ? s.rows : null;
  const cols = typeof s.columns === "number" ? s.columns : Array.isArray(s.schema) ? s.schema.length : null;
  if (rows === null) return null;
  return (
    <div className={styles.message}>
      {rows.toLocaleString()} rows{cols !== null && ` × ${cols} cols`}
    </div>
  );
}
