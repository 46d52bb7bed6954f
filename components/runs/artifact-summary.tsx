"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { algorithmName } from "@/components/evaluation/metrics-types";
import { useTRPC } from "@/lib/trpc";
import type { ArtifactRef } from "@/server/artifacts/types";
import { formatBytes, formatCount } from "./format";
import { ErrorBlock, KeyValues, LoadingBlock } from "./panel-ui";
import "./artifact-summary.css";

/** Summary keys as people read them; unknown keys are shown as they are. */
const LABELS: Record<string, string> = {
  algorithm: "Algorithm",
  task: "Task",
  target: "Target",
  features: "Features",
  classes: "Classes",
  backend: "Trained on",
  rows: "Rows",
  columns: "Columns",
  kind: "Kind",
};

/** Below this size the JSON is fetched at once, to list a model's features and classes. */
const EAGER_JSON_BYTES = 256 * 1024;
const MAX_CHIPS = 40;

function show(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (key === "algorithm" && typeof value === "string") return algorithmName(value) ?? value;
  if (typeof value === "number") return Number.isInteger(value) ? formatCount(value) : String(Number(value.toFixed(4)));
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length <= 6 ? value.map((v) => show("", v)).join(", ") : `${value.length} items`;
  return JSON.stringify(value);
}

function Chips({ items }: { items: string[] }) {
  return (
    <span className="rs-chips">
      {items.slice(0, MAX_CHIPS).map((item) => (
        <span key={item} className="rs-chip">
          {item}
        </span>
      ))}
      {items.length > MAX_CHIPS && <span className="rs-muted">+{items.length - MAX_CHIPS} more</span>}
    </span>
  );
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : null;
}

/**
 * A model, fitted transform or other non-tabular artifact: the small summary stored with its
 * reference, a model's features and classes, and the full JSON on request (a model's state can be
 * large, so big ones are fetched only when opened).
 */
export function ArtifactSummary({ artifact, showJson = true }: { artifact: ArtifactRef; showJson?: boolean }) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const eager = showJson && artifact.kind === "model" && artifact.size <= EAGER_JSON_BYTES;
  const json = useQuery({
    ...trpc.artifacts.json.queryOptions({ hash: artifact.hash }),
    enabled: showJson && (open || eager),
    staleTime: Infinity,
  });
  const data = (json.data ?? null) as Record<string, unknown> | null;
  const features = stringList(data?.features);
  const classes = stringList(data?.classes);

  const rows: [string, ReactNode][] = Object.entries(artifact.summary ?? {})
    .filter(([key]) => key !== "schema")
    .map(([key, value]) => {
      if (key === "features" && features) return [`Features (${features.length})`, <Chips key={key} items={features} />];
      if (key === "classes" && classes) return [`Classes (${classes.length})`, <Chips key={key} items={classes} />];
      return [LABELS[key] ?? key, show(key, value)];
    });
  rows.push(["Size", formatBytes(artifact.size)]);

  let body: ReactNode = null;
  if (open) {
    if (json.error) body = <ErrorBlock title="Could not load the JSON" message={json.error.message} />;
    else if (json.isPending) body = <LoadingBlock />;
    else {
      const text = JSON.stringify(json.data, null, 2) ?? "null";
      body = (
        <pre className="rs-json-body">
          {text.length > 200_000 ? `${text.slice(0, 200_000)}\n… (${formatBytes(text.length)} in all; truncated here)` : text}
        </pre>
      );
    }
  }

  return (
    <div className="rs-artifact-summary" data-testid="artifact-summary">
      <KeyValues rows={rows} />
      {showJson && (
        <div className="rs-json">
          <button type="button" className="rs-json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
            <span className={`rs-chevron ${open ? "rs-chevron-open" : ""}`} aria-hidden>
              ›
            </span>
            {open ? "Hide JSON" : "Show JSON"}
          </button>
          {body}
        </div>
      )}
    </div>
  );
}
