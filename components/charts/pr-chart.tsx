"use client";

import type { ClassificationMetrics } from "@/components/evaluation/metrics-types";
import { formatMetric } from "@/components/runs/format";
import { CurveChart } from "./curve-chart";
import { seriesColor } from "./palette";

export interface PrChartProps {
  curves: ClassificationMetrics["curves"]["pr"];
  classes: string[];
  positiveClass?: string | null;
  /** Share of the positive class among the rows: a no-skill classifier's precision. */
  baseline?: number | null;
  height?: number;
}

/**
 * Precision-recall curves. The legend figure is average precision (AP), which is a step-wise sum,
 * not the trapezoidal area under this curve, so it is labelled AP and never "PR-AUC".
 */
export function PrChart({ curves, classes, positiveClass, baseline, height }: PrChartProps) {
  const shown = positiveClass ? curves.filter((c) => c.class === positiveClass) : curves;
  const series = shown.map((curve) => ({
    key: curve.class,
    label: positiveClass ? `${curve.class} (positive)` : curve.class,
    color: seriesColor(Math.max(0, classes.indexOf(curve.class))),
    points: curve.points.map((p) => ({ x: p.recall, y: p.precision })),
    figure: `AP ${formatMetric(curve.averagePrecision)}`,
  }));
  return (
    <CurveChart
      title="Precision–recall"
      subtitle={positiveClass ? `AP ${formatMetric(shown[0]?.averagePrecision)}` : "one-vs-rest"}
      series={series}
      xLabel="Recall"
      yLabel="Precision"
      baseline={
        positiveClass && typeof baseline === "number" ? { y: baseline, label: `No skill (${formatMetric(baseline, 2)})` } : undefined
      }
      height={height}
      testId="pr-chart"
    />
  );
}
