import type { MetricWarning } from "./metrics-types";

const KIND_LABELS: Record<string, string> = {
  zeroDivision: "0/0 reported as 0",
  undefinedMetric: "Undefined",
  absentClass: "Absent class",
  constantTarget: "Constant target",
  skippedZeroTargets: "Zero targets skipped",
};

/**
 * Every substitution the metrics made, in plain words. FORMATS.md §1 requires undefined ratios to
 * be flagged, never silently shown as numbers, so these are listed rather than hidden in a tooltip.
 */
export function MetricWarnings({ warnings }: { warnings: MetricWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="rs-callout rs-callout-warn ev-warnings" data-testid="metric-warnings" role="status">
      <div className="rs-callout-title">
        {warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`} about these figures
      </div>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>
            <span className="ev-warning-kind">{KIND_LABELS[w.kind] ?? w.kind}</span>
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
