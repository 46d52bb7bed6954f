import type { ReactNode } from "react";

export interface MetricCardItem {
  label: string;
  value: string;
  /** What the figure is exactly ("macro over 3 classes", "lower is better"). */
  hint?: ReactNode;
  testId?: string;
  /** Marks a figure that carries a warning (0/0 substituted, metric undefined). */
  flagged?: boolean;
}

/** The headline figures of an evaluation, in a row of equal cards. */
export function MetricCards({ items }: { items: MetricCardItem[] }) {
  return (
    <div className="ev-cards">
      {items.map((item) => (
        <div key={item.label} className="ev-card" data-testid={item.testId}>
          <div className="ev-card-label">
            {item.label}
            {item.flagged && (
              <span className="ev-flag" title="See the warnings below">
                !
              </span>
            )}
          </div>
          <div className="ev-card-value">{item.value}</div>
          {item.hint && <div className="ev-card-hint">{item.hint}</div>}
        </div>
      ))}
    </div>
  );
}
