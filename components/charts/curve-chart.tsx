"use client";

import { useState, type ReactNode } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { AXIS_COLOR, GRID_COLOR, REFERENCE_COLOR } from "./palette";
import "./charts.css";

export interface CurveSeries {
  key: string;
  label: string;
  color: string;
  points: { x: number; y: number }[];
  /** Shown after the label in the legend ("AUC 0.912"). */
  figure?: string;
  /** Draw the points as dots (sparse series such as calibration bins). */
  dots?: boolean;
}

export interface CurveChartProps {
  title: string;
  subtitle?: ReactNode;
  series: CurveSeries[];
  xLabel: string;
  yLabel: string;
  /** A dashed y = x line: chance for ROC, perfect calibration for reliability diagrams. */
  diagonal?: { label: string };
  /** A dashed horizontal line, e.g. the PR baseline (share of positives). */
  baseline?: { y: number; label: string };
  height?: number;
  testId?: string;
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];
const tick = { fontSize: 11, fill: "#71717a" };

/**
 * A unit-square line chart with one line per class and an HTML legend below it. Hovering a legend
 * entry brings its line forward and fades the others, which matters once there are many classes.
 */
export function CurveChart({ title, subtitle, series, xLabel, yLabel, diagonal, baseline, height = 240, testId }: CurveChartProps) {
  const [focus, setFocus] = useState<string | null>(null);
  return (
    <figure className="ch-card" data-testid={testId}>
      <figcaption className="ch-head">
        <span className="ch-title">{title}</span>
        {subtitle && <span className="ch-subtitle">{subtitle}</span>}
      </figcaption>
      <div className="ch-plot" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 12, bottom: 22, left: 14 }}>
            <CartesianGrid stroke={GRID_COLOR} />
            <XAxis
              type="number"
              dataKey="x"
              domain={[0, 1]}
              ticks={TICKS}
              tick={tick}
              stroke={AXIS_COLOR}
              allowDataOverflow
              label={{ value: xLabel, position: "insideBottom", offset: -12, fontSize: 11.5, fill: "#52525b" }}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={[0, 1]}
              ticks={TICKS}
              tick={tick}
              stroke={AXIS_COLOR}
              width={36}
              allowDataOverflow
              label={{ value: yLabel, angle: -90, position: "left", offset: 0, fontSize: 11.5, fill: "#52525b", style: { textAnchor: "middle" } }}
            />
            {diagonal && (
              <ReferenceLine
                segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]}
                stroke={REFERENCE_COLOR}
                strokeDasharray="4 4"
                ifOverflow="hidden"
              />
            )}
            {baseline && <ReferenceLine y={baseline.y} stroke={REFERENCE_COLOR} strokeDasharray="4 4" />}
            {series.map((s) => (
              <Line
                key={s.key}
                data={s.points}
                dataKey="y"
                name={s.label}
                type="linear"
                stroke={s.color}
                strokeWidth={focus === s.key ? 2.5 : 1.75}
                strokeOpacity={focus && focus !== s.key ? 0.18 : 1}
                dot={s.dots ? { r: 2.5, fill: s.color, strokeWidth: 0 } : false}
                activeDot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul className="ch-legend">
        {series.map((s) => (
          <li
            key={s.key}
            className={`ch-legend-item ${focus && focus !== s.key ? "ch-legend-faded" : ""}`}
            onMouseEnter={() => setFocus(s.key)}
            onMouseLeave={() => setFocus(null)}
          >
            <span className="ch-swatch" style={{ background: s.color }} />
            <span className="ch-legend-label">{s.label}</span>
            {s.figure && <span className="ch-legend-figure">{s.figure}</span>}
          </li>
        ))}
        {diagonal && (
          <li className="ch-legend-item ch-legend-ref">
            <span className="ch-swatch ch-swatch-dashed" />
            <span className="ch-legend-label">{diagonal.label}</span>
          </li>
        )}
        {baseline && (
          <li className="ch-legend-item ch-legend-ref">
            <span className="ch-swatch ch-swatch-dashed" />
            <span className="ch-legend-label">{baseline.label}</span>
          </li>
        )}
      </ul>
    </figure>
  );
}
