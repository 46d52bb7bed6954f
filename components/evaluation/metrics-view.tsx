"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { CalibrationChart } from "@/components/charts/calibration-chart";
import { PrChart } from "@/components/charts/pr-chart";
import { RocChart } from "@/components/charts/roc-chart";
import { formatCount, formatMetric, formatPercent, plural } from "@/components/runs/format";
import { CollapsibleJson, ErrorBlock, LoadingBlock } from "@/components/runs/panel-ui";
import { useTRPC } from "@/lib/trpc";
import { ConfusionMatrix } from "./confusion-matrix";
import { MetricCards } from "./metric-cards";
import { MetricWarnings } from "./metric-warnings";
import { algorithmName, asMetrics, type ClassificationMetrics, type RegressionMetrics } from "./metrics-types";
import { PerClassTable } from "./per-class-table";
import { CrossValidationView } from "./search-results";
import type { CrossValidationReport } from "@/server/stages/model/cross-validate";
import "./evaluation.css";

function Section({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="ev-section" data-testid={testId}>
      <header className="ev-section-head">
        <h3>{title}</h3>
        {aside && <span className="ev-section-aside">{aside}</span>}
      </header>
      {children}
    </section>
  );
}

function Provenance({ metrics }: { metrics: ClassificationMetrics | RegressionMetrics }) {
  const rows = metrics.rows ?? (metrics.task === "regression" ? metrics.n : undefined);
  const parts = [
    algorithmName(metrics.model?.algorithm),
    metrics.model?.target ? `target “${metrics.model.target}”` : null,
    rows !== undefined ? `${plural(rows, "row")} evaluated` : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return <div className="ev-provenance">{parts.join(" · ")}</div>;
}

/** The flagged metric names, so a card can show that its figure carries a warning. */
function flaggedMetrics(metrics: ClassificationMetrics | RegressionMetrics): Set<string> {
  return new Set(metrics.warnings.filter((w) => w.kind !== "absentClass").map((w) => w.metric));
}

export function ClassificationMetricsView({ metrics }: { metrics: ClassificationMetrics }) {
  const flagged = flaggedMetrics(metrics);
  const auc = metrics.rocAuc;
  const positive = auc?.positiveClass ?? null;
  // Binary: scikit-learn's roc_auc_score is the positive class's AUC; multiclass: the OvR macro mean.
  const headlineAuc = auc ? (positive ? (auc.perClass[positive] ?? null) : auc.macro) : null;
  const totalSupport = metrics.perClass.reduce((a, c) => a + c.support, 0);
  const positiveSupport = metrics.perClass.find((c) => c.class === positive)?.support;
  const { macro, weighted, micro } = metrics.averages;

  return (
    <div className="ev" data-testid="metrics-view">
      <Provenance metrics={metrics} />
      <MetricCards
        items={[
          { label: "Accuracy", value: formatMetric(metrics.accuracy), hint: `${formatPercent(metrics.accuracy)} of rows correct`, testId: "metric-accuracy" },
          {
            label: "Macro F1",
            value: formatMetric(macro.f1),
            hint: `weighted ${formatMetric(weighted.f1)} · micro ${formatMetric(micro.f1)}`,
            flagged: flagged.has("f1"),
            testId: "metric-macro-f1",
          },
          {
            label: "ROC-AUC",
            value: formatMetric(headlineAuc),
            hint: !auc ? "needs class probabilities" : positive ? `positive class “${positive}”` : "macro, one-vs-rest",
            flagged: flagged.has("rocAuc"),
            testId: "metric-roc-auc",
          },
          {
            label: "Log loss",
            value: formatMetric(metrics.logLoss),
            hint: metrics.logLoss === null ? "needs class probabilities" : "lower is better",
            testId: "metric-log-loss",
          },
        ]}
      />
      <MetricWarnings warnings={metrics.warnings} />
      <div className="ev-split">
        <section className="ev-section">
          <ConfusionMatrix title="Confusion matrix" classes={metrics.classes} matrix={metrics.confusionMatrix} />
        </section>
        <Section title="Per class" aside={plural(metrics.classes.length, "class", "classes")}>
          <PerClassTable metrics={metrics} />
        </Section>
      </div>
      {metrics.curves.roc.length > 0 || metrics.curves.pr.length > 0 ? (
        <div className="ev-charts">
          {metrics.curves.roc.length > 0 && (
            <RocChart curves={metrics.curves.roc} classes={metrics.classes} positiveClass={positive} macroAuc={auc?.macro} />
          )}
          {metrics.curves.pr.length > 0 && (
            <PrChart
              curves={metrics.curves.pr}
              classes={metrics.classes}
              positiveClass={positive}
              baseline={positiveSupport !== undefined && totalSupport ? positiveSupport / totalSupport : null}
            />
          )}
          {metrics.curves.calibration.some((c) => c.bins.length > 0) && (
            <CalibrationChart curves={metrics.curves.calibration} classes={metrics.classes} positiveClass={positive} />
          )}
        </div>
      ) : (
        <div className="ev-note">No ROC, PR or calibration curves: the model did not output class probabilities.</div>
      )}
    </div>
  );
}

export function RegressionMetricsView({ metrics }: { metrics: RegressionMetrics }) {
  const flagged = flaggedMetrics(metrics);
  return (
    <div className="ev" data-testid="metrics-view">
      <Provenance metrics={metrics} />
      <MetricCards
        items={[
          { label: "R²", value: formatMetric(metrics.r2), hint: "variance explained", flagged: flagged.has("r2"), testId: "metric-r2" },
          { label: "RMSE", value: formatMetric(metrics.rmse), hint: "lower is better", testId: "metric-rmse" },
          { label: "MAE", value: formatMetric(metrics.mae), hint: "lower is better", testId: "metric-mae" },
          {
            label: "MAPE",
            value: formatPercent(metrics.mape),
            hint:
              metrics.mapeSkippedZeroTargets > 0
                ? `${formatCount(metrics.mapeSkippedZeroTargets)} zero targets skipped`
                : "over all rows",
            flagged: flagged.has("mape"),
            testId: "metric-mape",
          },
        ]}
      />
      <MetricWarnings warnings={metrics.warnings} />
    </div>
  );
}

/** Renders an already-loaded metrics artifact (e.g. on a model's page). */
export function MetricsReport({ value }: { value: unknown }) {
  if ((value as { task?: string } | null)?.task === "cross-validation") {
    return <CrossValidationView report={value as CrossValidationReport} />;
  }
  const metrics = asMetrics(value);
  if (!metrics) {
    return (
      <div className="ev">
        <ErrorBlock title="Unrecognised metrics format" message="This artifact does not look like classification or regression metrics; its raw JSON is below." />
        <CollapsibleJson value={value} />
      </div>
    );
  }
  return metrics.task === "classification" ? (
    <ClassificationMetricsView metrics={metrics} />
  ) : (
    <RegressionMetricsView metrics={metrics} />
  );
}

/** Loads a metrics artifact by hash and shows it. */
export function MetricsView({ hash }: { hash: string }) {
  const trpc = useTRPC();
  // Artifacts are immutable: once loaded, never refetch.
  const query = useQuery({ ...trpc.artifacts.json.queryOptions({ hash }), staleTime: Infinity });
  if (query.error) return <ErrorBlock title="Could not load the metrics" message={query.error.message} />;
  if (query.isPending) return <LoadingBlock label="Loading metrics…" />;
  return <MetricsReport value={query.data} />;
}
