"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetric } from "@/components/runs/format";
import { ErrorBlock, LoadingBlock } from "@/components/runs/panel-ui";
import { AXIS_COLOR, GRID_COLOR, SERIES_COLORS } from "@/components/charts/palette";
import { useTRPC } from "@/lib/trpc";
import type { CrossValidationReport } from "@/server/stages/model/cross-validate";
import type { TuningReport } from "@/server/stages/model/tune";
import "./evaluation.css";

const tick = { fontSize: 11, fill: "#71717a" };

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : JSON.stringify(v)}`)
    .join(", ");
}

/** Hyperparameter search: every trial's score as a chart (with the best so far) and as a table. */
export function TuningReportView({ hash }: { hash: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.artifacts.json.queryOptions({ hash }), staleTime: Infinity });
  if (query.error) return <ErrorBlock title="Could not load the search results" message={query.error.message} />;
  if (query.isPending) return <LoadingBlock label="Loading search results…" />;
  const report = query.data as unknown as TuningReport;
  let bestSoFar = -Infinity;
  const points = report.trials.map((t) => {
    if (t.score !== null) bestSoFar = Math.max(bestSoFar, t.score);
    return { trial: t.trial, score: t.score, best: Number.isFinite(bestSoFar) ? bestSoFar : null };
  });
  return (
    <div className="ev" data-testid="tuning-report">
      <div className="ev-provenance">
        {report.method} search over {report.model} · {report.trials.length} trials · {report.folds}-fold CV · metric {report.metric}
      </div>
      <div className="ev-cards">
        <div className="ev-card">
          <div className="ev-card-label">Best {report.metric}</div>
          <div className="ev-card-value">{formatMetric(report.best.score)}</div>
          <div className="ev-card-hint">trial {report.best.trial}: {formatParams(report.best.params)}</div>
        </div>
      </div>
      <figure className="ch-card">
        <figcaption className="ch-head">
          <span className="ch-title">Score by trial</span>
          <span className="ch-subtitle">dots: each trial · line: best so far</span>
        </figcaption>
        <div className="ch-plot" style={{ height: 220 }}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 18, left: 8 }}>
              <CartesianGrid stroke={GRID_COLOR} />
              <XAxis dataKey="trial" tick={tick} stroke={AXIS_COLOR} label={{ value: "trial", position: "insideBottom", offset: -8, fontSize: 11 }} />
              <YAxis tick={tick} stroke={AXIS_COLOR} domain={["auto", "auto"]} width={48} />
              <Tooltip formatter={(v) => formatMetric(Number(v))} />
              <Scatter dataKey="score" fill={SERIES_COLORS[0]} isAnimationActive={false} />
              <Line dataKey="best" stroke={SERIES_COLORS[1]} dot={false} type="stepAfter" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <table className="ev-table">
        <thead>
          <tr>
            <th>Trial</th>
            <th className="ev-th-left">Params</th>
            <th>Score</th>
            <th>± std</th>
            <th>Seconds</th>
          </tr>
        </thead>
        <tbody>
          {report.trials.map((t) => (
            <tr key={t.trial} style={t.trial === report.best.trial ? { fontWeight: 600 } : undefined}>
              <td>{t.trial}</td>
              <td className="ev-td-left">{t.error ? `failed: ${t.error}` : formatParams(t.params)}</td>
              <td>{formatMetric(t.score)}</td>
              <td>{formatMetric(t.std)}</td>
              <td>{t.seconds.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Cross-validation: the headline metric per fold as bars, and every metric per fold with mean ± std. */
export function CrossValidationView({ report }: { report: CrossValidationReport }) {
  const names = Object.keys(report.mean);
  const headline = report.modelTask === "classification" ? "accuracy" : "r2";
  const bars = report.folds.map((f) => ({ fold: `fold ${f.fold}`, value: (f.metrics as unknown as Record<string, number>)[headline] }));
  return (
    <div className="ev" data-testid="cross-validation">
      <div className="ev-provenance">
        {report.model.algorithm} · {report.folds.length}-fold {report.stratified ? "stratified " : ""}cross-validation · {report.rows} rows · seed {report.seed}
      </div>
      <div className="ev-cards">
        <div className="ev-card">
          <div className="ev-card-label">{headline === "r2" ? "R²" : "Accuracy"} (mean ± std)</div>
          <div className="ev-card-value">
            {formatMetric(report.mean[headline])} ± {formatMetric(report.std[headline])}
          </div>
        </div>
      </div>
      <figure className="ch-card">
        <div className="ch-plot" style={{ height: 180 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={bars} margin={{ top: 8, right: 12, bottom: 4, left: 8 }}>
              <CartesianGrid stroke={GRID_COLOR} vertical={false} />
              <XAxis dataKey="fold" tick={tick} stroke={AXIS_COLOR} />
              <YAxis tick={tick} stroke={AXIS_COLOR} domain={["auto", "auto"]} width={48} />
              <Bar dataKey="value" fill={SERIES_COLORS[0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <table className="ev-table">
        <thead>
          <tr>
            <th className="ev-th-left">Fold</th>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.folds.map((f) => (
            <tr key={f.fold}>
              <td className="ev-td-left">{f.fold}</td>
              {names.map((n) => (
                <td key={n}>{formatMetric((f.metrics as unknown as Record<string, number | null>)[n])}</td>
              ))}
            </tr>
          ))}
          <tr style={{ fontWeight: 600 }}>
            <td className="ev-td-left">mean ± std</td>
            {names.map((n) => (
              <td key={n}>
                {formatMetric(report.mean[n])} ± {formatMetric(report.std[n])}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
