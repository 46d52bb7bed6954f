import type { NodeStatus, RunStatus } from "@/db/schema";
import "./status-badge.css";

export type AnyStatus = RunStatus | NodeStatus;

interface StatusTone {
  label: string;
  /** Dot and text colour. */
  fg: string;
  /** Pill background. */
  bg: string;
  /** Whether the dot pulses: the state is still changing. */
  active?: boolean;
}

/**
 * One colour per status across the studio (canvas nodes, run history, output panel), so a status
 * reads the same everywhere. "cached" is violet rather than green: it finished, but did no work,
 * and users ask which nodes re-ran.
 */
export const STATUS_TONES: Record<AnyStatus, StatusTone> = {
  pending: { label: "Pending", fg: "#71717a", bg: "#f4f4f5" },
  queued: { label: "Queued", fg: "#475569", bg: "#eef2f6", active: true },
  running: { label: "Running", fg: "#1d4ed8", bg: "#e8effd", active: true },
  cached: { label: "Cached", fg: "#6d28d9", bg: "#f1ebfd" },
  succeeded: { label: "Succeeded", fg: "#15803d", bg: "#e7f6ec" },
  failed: { label: "Failed", fg: "#b91c1c", bg: "#fdecec" },
  cancelled: { label: "Cancelled", fg: "#52525b", bg: "#f0f0f2" },
  interrupted: { label: "Interrupted", fg: "#b45309", bg: "#fdf3e2" },
  skipped: { label: "Skipped", fg: "#a1a1aa", bg: "#f7f7f8" },
};

export function statusTone(status: AnyStatus): StatusTone {
  return STATUS_TONES[status] ?? STATUS_TONES.pending;
}

export interface StatusBadgeProps {
  status: AnyStatus;
  /** 0..1 while running: shown as a percentage after the label. */
  progress?: number | null;
  /** Only the dot, with the label as a tooltip (dense lists, canvas corners). */
  dotOnly?: boolean;
  className?: string;
}

export function StatusBadge({ status, progress, dotOnly, className }: StatusBadgeProps) {
  const tone = statusTone(status);
  const showProgress = status === "running" && typeof progress === "number" && progress > 0;
  const dot = <span className={`rs-badge-dot${tone.active ? " rs-badge-pulse" : ""}`} style={{ background: tone.fg }} />;
  if (dotOnly) {
    return (
      <span className={`rs-badge-dot-only ${className ?? ""}`} title={tone.label} data-status={status} aria-label={tone.label}>
        {dot}
      </span>
    );
  }
  return (
    <span
      className={`rs-badge ${className ?? ""}`}
      style={{ color: tone.fg, background: tone.bg }}
      data-status={status}
    >
      {dot}
      {tone.label}
      {showProgress && <span className="rs-badge-progress">{Math.round(progress * 100)}%</span>}
    </span>
  );
}
