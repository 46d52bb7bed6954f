"use client";

import { useMemo, useState, type ReactNode } from "react";
import { Segmented } from "@/components/runs/panel-ui";
import { formatCount, formatPercent } from "@/components/runs/format";
import { cellIntensity, heatColor, normalizeConfusion, textOnHeat, type ConfusionMode } from "./confusion";
import "./confusion-matrix.css";

export interface ConfusionMatrixProps {
  /** Shown left of the value switch, so a card needs no separate header row. */
  title?: ReactNode;
  classes: string[];
  /** Rows: true class, columns: predicted class, both in `classes` order. */
  matrix: number[][];
}

const MODES: { key: ConfusionMode; label: string; title: string; testId: string }[] = [
  { key: "counts", label: "Counts", title: "Number of rows", testId: "cm-normalize-counts" },
  { key: "true", label: "Row %", title: "Normalised by true class: each row sums to 100% (recall on the diagonal)", testId: "cm-normalize-toggle" },
  { key: "pred", label: "Column %", title: "Normalised by predicted class: each column sums to 100% (precision on the diagonal)", testId: "cm-normalize-pred" },
  { key: "all", label: "All %", title: "Share of all rows", testId: "cm-normalize-all" },
];

/** Cell size shrinks with the number of classes so ten classes still fit a side panel. */
function cellHeight(n: number): number {
  if (n <= 3) return 56;
  if (n <= 6) return 44;
  if (n <= 10) return 34;
  return 26;
}

/**
 * Heatmap of true against predicted classes as a CSS grid: every cell is a real element with its
 * number as text (readable, selectable, testable), which an SVG chart would not give for free.
 */
export function ConfusionMatrix({ title, classes, matrix }: ConfusionMatrixProps) {
  const [mode, setMode] = useState<ConfusionMode>("counts");
  const values = useMemo(() => normalizeConfusion(matrix, mode), [matrix, mode]);
  const rowTotals = useMemo(() => matrix.map((row) => row.reduce((a, b) => a + b, 0)), [matrix]);
  const max = useMemo(() => Math.max(0, ...values.flat()), [values]);
  const n = classes.length;
  const showText = n <= 15;
  const height = cellHeight(n);

  const onMode = (next: ConfusionMode) => {
    // The row button is also a toggle: pressing it again goes back to counts.
    setMode(next === mode && next !== "counts" ? "counts" : next);
  };

  return (
    <div className="cm" data-testid="confusion-matrix" data-mode={mode}>
      <div className="cm-toolbar">
        {title ? <div className="cm-title">{title}</div> : <span />}
        <Segmented
          label="Confusion matrix values"
          value={mode}
          onChange={onMode}
          items={MODES.map((m) => ({ key: m.key, label: <span title={m.title}>{m.label}</span>, testId: m.testId }))}
        />
      </div>
      <div
        className="cm-grid"
        role="table"
        aria-label="Confusion matrix: rows are true classes, columns predicted classes"
        style={{ gridTemplateColumns: `18px max-content repeat(${n}, minmax(36px, 1fr)) max-content` }}
      >
        {/* Every item is placed explicitly: rows 1-2 are headers, row i + 3 is true class i. */}
        <div className="cm-axis-x" style={{ gridRow: 1, gridColumn: `3 / span ${n}` }}>
          Predicted class
        </div>
        {classes.map((name, j) => (
          <div key={name} className="cm-col-label" title={name} role="columnheader" style={{ gridRow: 2, gridColumn: j + 3 }}>
            {name}
          </div>
        ))}
        <div className="cm-total-head" title="Rows with this true class (support)" style={{ gridRow: 2, gridColumn: n + 3 }}>
          n
        </div>
        <div className="cm-axis-y" style={{ gridRow: `3 / span ${n}`, gridColumn: 1 }}>
          <span>True class</span>
        </div>
        {values.map((row, i) => (
          <div key={classes[i]} className="cm-row" role="row">
            <div className="cm-row-label" title={classes[i]} role="rowheader" style={{ gridRow: i + 3, gridColumn: 2 }}>
              {classes[i]}
            </div>
            {row.map((value, j) => {
              const t = cellIntensity(value, mode, max);
              const count = matrix[i][j];
              // An exact zero reads as "0%": "0.0%" would suggest a rounded small share.
              const text = mode === "counts" ? formatCount(value) : value === 0 ? "0%" : formatPercent(value);
              const share = rowTotals[i] ? formatPercent(count / rowTotals[i]) : "—";
              return (
                <div
                  key={classes[j]}
                  className={`cm-cell ${i === j ? "cm-diagonal" : ""}`}
                  role="cell"
                  data-testid={`cm-cell-${i}-${j}`}
                  data-value={value}
                  style={{ gridRow: i + 3, gridColumn: j + 3, background: heatColor(t), color: textOnHeat(t), height }}
                  title={`True ${classes[i]}, predicted ${classes[j]}: ${formatCount(count)} rows (${share} of true ${classes[i]})`}
                >
                  {showText ? text : ""}
                </div>
              );
            })}
            <div className="cm-total" style={{ gridRow: i + 3, gridColumn: n + 3 }}>
              {formatCount(rowTotals[i])}
            </div>
          </div>
        ))}
      </div>
      <div className="cm-legend" aria-hidden>
        <span>{mode === "counts" ? "0" : "0%"}</span>
        <span className="cm-legend-bar" />
        <span>{mode === "counts" ? formatCount(max) : formatPercent(mode === "all" ? max : 1, 0)}</span>
      </div>
    </div>
  );
}
