"use client";

import type { ClassificationMetrics } from "@/components/evaluation/metrics-types";
import { CurveChart } from "./curve-chart";
import { seriesColor } from "./palette";

export interface CalibrationChartProps {
  curves: ClassificationMetrics["curves"]["calibration"];
  classes: string[];
  positiveClass?: string | null;
  height?: number;
}

/**
 * Reliability diagram: mean predicted probability per bin against the observed share of the
 * class. Points on the diagonal mean the probabilities can be taken at face value.
 */
export function CalibrationChart({ curves, classes, positiveClass, height }: CalibrationChartProps) {
  const shown = (positiveClass ? curves.filter((c) => c.class === positiveClass) : curves).filter((c) => c.bins.length > 0);
  const series = shown.map((curve) => ({
    key: curve.class,
    label: positiveClass ? `${curve.class} (positive)` : curve.class,
    color: seriesColor(Math.max(0, classes.indexOf(curve.class))),
    points: curve.bins.map((b) => ({ x: b.meanPredicted, y: b.fractionPositive })),
    figure: `${curve.bins.length} bins`,
    dots: true,
  }));
  return (
    <CurveChart
      title="Calibration"
      subtitle="uniform bins"
      series={series}
      xLabel="Mean predicted probability"
      yLabel="Observed frequency"
      diagonal={{ label: "Perfectly calibrated" }}
      height={height}
      testId="calibration-chart"
    />
  );
}
