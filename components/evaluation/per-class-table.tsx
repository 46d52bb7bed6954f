import { formatCount, formatMetric } from "@/components/runs/format";
import type { ClassificationMetrics, MetricWarning } from "./metrics-types";

type Score = "precision" | "recall" | "f1";
const SCORES: Score[] = ["precision", "recall", "f1"];

/** The zeroDivision warning behind a per-class figure, if that figure is a substituted 0. */
function warningFor(warnings: MetricWarning[], className: string, score: Score): MetricWarning | undefined {
  return warnings.find((w) => w.kind === "zeroDivision" && w.className === className && w.metric === score);
}

/**
 * Precision, recall and F1 per class, then all three averages. Macro, weighted and micro answer
 * different questions (every class equal, classes by size, every row equal), so none is picked
 * for the user; each row says what it averages.
 */
export function PerClassTable({ metrics }: { metrics: ClassificationMetrics }) {
  const totalSupport = metrics.perClass.reduce((a, c) => a + c.support, 0);
  const averages: { key: keyof ClassificationMetrics["averages"]; label: string; hint: string }[] = [
    { key: "macro", label: "Macro avg", hint: "Unweighted mean over classes" },
    { key: "weighted", label: "Weighted avg", hint: "Mean weighted by support" },
    { key: "micro", label: "Micro avg", hint: "Pooled over all rows; equals accuracy for single-label classification" },
  ];
  return (
    <table className="ev-table" data-testid="per-class-table">
      <thead>
        <tr>
          <th className="ev-th-left">Class</th>
          <th>Precision</th>
          <th>Recall</th>
          <th>F1</th>
          <th>Support</th>
        </tr>
      </thead>
      <tbody>
        {metrics.perClass.map((row) => (
          <tr key={row.class}>
            <td className="ev-td-left ev-class">{row.class}</td>
            {SCORES.map((score) => {
              const warning = warningFor(metrics.warnings, row.class, score);
              return (
                <td key={score} className={warning ? "ev-warned" : undefined} title={warning?.message}>
                  {formatMetric(row[score])}
                  {warning && <span className="ev-flag">!</span>}
                </td>
              );
            })}
            <td className="ev-support">{formatCount(row.support)}</td>
          </tr>
        ))}
      </tbody>
      <tbody className="ev-averages">
        {averages.map((avg) => (
          <tr key={avg.key} data-testid={`avg-${avg.key}`}>
            <td className="ev-td-left" title={avg.hint}>
              {avg.label}
            </td>
            {SCORES.map((score) => (
              <td key={score}>{formatMetric(metrics.averages[avg.key][score])}</td>
            ))}
            <td className="ev-support">{formatCount(totalSupport)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
