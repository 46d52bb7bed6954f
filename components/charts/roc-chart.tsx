"use client";

import type { ClassificationMetrics } from "@/components/evaluation/metrics-types";
import { CurveChart } from "./curve-chart";
import { seriesColor } from "./palette";
import { formatMetric } from "@/components/runs/format";

export interface RocChartProps {
  curves: ClassificationMetrics["curves"]["roc"];
  /** All classes of the report, so each class keeps its colour across charts. */
  classes: string[];
  /** Binary problems: only the positive class's curve is drawn (the other mirrors it). */
  positiveClass?: string | null;
  macroAuc?: number | null;
  height?: number;
}

/** One-vs-rest ROC curves with each class's AUC in the legend and the chance diagonal. */
export function RocChart({ curves, classes, positiveClass, macroAuc, height }: RocChartProps) {
  const shown = positiveClass ? curves.filter((c) => c.class === positiveClass) : curves;
  const series = shown.map((curve) => ({
    key: curve.class,
    label: positiveClass ? `${curve.class} (positive)` : curve.class,
    color: seriesColor(Math.max(0, classes.indexOf(curve.class))),
    points: curve.points.map((p) => ({ x: p.fpr, y: p.tpr })),
    figure: `AUC ${formatMetric(curve.auc)}`,
  }));
  const subtitle = positiveClass
    ? `AUC ${formatMetric(shown[0]?.auc)}`
    : macroAuc !== null && macroAuc !== undefined
      ? `macro AUC ${formatMetric(macroAuc)} · one-vs-rest`
      : "one-vs-rest";
  return (
    <CurveChart
      title="ROC curve"
      subtitle={subtitle}
      series={series}
      xLabel="False positive rate"
      yLabel="True positive rate"
      diagonal={{ label: "Chance" }}
      height={height}
      testId="roc-chart"
    />
  );
}
