"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCount, formatPercent, plural } from "@/components/runs/format";
import { CollapsibleJson, ErrorBlock, LoadingBlock } from "@/components/runs/panel-ui";
import { useTRPC } from "@/lib/trpc";
import type { ValidationCheck, ValidationReport } from "@/server/stages/quality/validate";
import "./validation-report.css";

type Outcome = "pass" | "fail" | "warn";

function outcomeOf(check: ValidationCheck): Outcome {
  if (check.passed) return "pass";
  return check.severity === "warning" ? "warn" : "fail";
}

const OUTCOME_LABEL: Record<Outcome, string> = { pass: "Passed", fail: "Failed", warn: "Warning" };

/** Inline icons, so the list needs no icon library: a check, a cross, an exclamation mark. */
function OutcomeIcon({ outcome }: { outcome: Outcome }) {
  const path =
    outcome === "pass" ? "M4 8.5l2.5 2.5L12 5.5" : outcome === "fail" ? "M5 5l6 6M11 5l-6 6" : "M8 4.5v4.5M8 11.2v.3";
  return (
    <svg className={`vr-icon vr-icon-${outcome}`} viewBox="0 0 16 16" width="16" height="16" aria-label={OUTCOME_LABEL[outcome]} role="img">
      <circle cx="8" cy="8" r="7.25" />
      <path d={path} />
    </svg>
  );
}

const RULE_LABELS: Record<ValidationCheck["rule"], string> = {
  present: "present",
  type: "type",
  min: "minimum",
  max: "maximum",
  allowed: "allowed values",
  missing: "missing values",
  unique: "unique",
};

function isReport(value: unknown): value is ValidationReport {
  return typeof value === "object" && value !== null && Array.isArray((value as ValidationReport).checks);
}

/** Failed checks first (errors, then warnings), so what needs attention is at the top. */
const ORDER: Record<Outcome, number> = { fail: 0, warn: 1, pass: 2 };

export function ValidationReportList({ report }: { report: ValidationReport }) {
  const checks = [...report.checks].sort((a, b) => ORDER[outcomeOf(a)] - ORDER[outcomeOf(b)]);
  const failed = report.checks.filter((c) => outcomeOf(c) === "fail").length;
  const warned = report.checks.filter((c) => outcomeOf(c) === "warn").length;
  const rows = typeof report.rows === "number" ? report.rows : null;
  return (
    <div className="vr" data-testid="validation-report">
      <div className={`vr-summary vr-summary-${report.passed ? (warned ? "warn" : "pass") : "fail"}`}>
        <OutcomeIcon outcome={report.passed ? (warned ? "warn" : "pass") : "fail"} />
        <span className="vr-summary-title">{report.passed ? "Data passed validation" : "Data failed validation"}</span>
        <span className="vr-summary-counts">
          {plural(report.checks.length, "check")} · {failed} failed · {warned} {warned === 1 ? "warning" : "warnings"}
          {rows !== null && ` · ${plural(rows, "row")}`}
        </span>
      </div>
      {checks.length === 0 ? (
        <div className="vr-empty">No rules are set, so nothing was checked. Add rules in the Validate node's inspector.</div>
      ) : (
        <ul className="vr-list">
          {checks.map((check, i) => {
            const outcome = outcomeOf(check);
            return (
              <li key={i} className={`vr-check vr-check-${outcome}`} data-testid="validation-check" data-outcome={outcome}>
                <OutcomeIcon outcome={outcome} />
                <div className="vr-check-main">
                  <div className="vr-check-head">
                    <span className="vr-column">{check.column}</span>
                    <span className="vr-rule">{RULE_LABELS[check.rule] ?? check.rule}</span>
                    {check.severity === "warning" && <span className="vr-severity">warning only</span>}
                  </div>
                  <div className="vr-message">{check.message}</div>
                  {!check.passed && check.failingRows > 0 && (
                    <div className="vr-rows">
                      {formatCount(check.failingRows)} failing {check.failingRows === 1 ? "row" : "rows"}
                      {rows ? ` (${formatPercent(check.failingRows / rows)})` : ""}
                      {check.examples.length > 0 && (
                        <>
                          {" "}
                          · e.g. row{check.examples.length > 1 ? "s" : ""}{" "}
                          {check.examples.map((r) => (
                            <span key={r} className="vr-row-chip">
                              {r}
                            </span>
                          ))}
                        </>
                      )}
                    </div>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Loads a validation report artifact by hash and lists its checks. */
export function ValidationReportView({ hash }: { hash: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.artifacts.json.queryOptions({ hash }), staleTime: Infinity });
  if (query.error) return <ErrorBlock title="Could not load the report" message={query.error.message} />;
  if (query.isPending) return <LoadingBlock label="Loading report…" />;
  if (!isReport(query.data)) {
    return (
      <div className="vr">
        <ErrorBlock title="Unrecognised report format" message="This report has no list of checks; its raw JSON is below." />
        <CollapsibleJson value={query.data} />
      </div>
    );
  }
  return <ValidationReportList report={query.data} />;
}
