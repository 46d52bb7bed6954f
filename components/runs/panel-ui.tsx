"use client";

import { useState, type ReactNode } from "react";
import "./panel-ui.css";
import "./panel-data.css";

/**
 * Small primitives the run and results views share. They live here, not in components/ui, because
 * that folder belongs to another part of the team; move them there once it has equivalents.
 */

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
  testId?: string;
  /** A small count or marker after the label ("12", "!"). */
  badge?: ReactNode;
}

/** Underlined tabs for a panel's main sections. */
export function Tabs<K extends string>(props: { items: TabItem<K>[]; value: K; onChange: (key: K) => void; label: string }) {
  return (
    <div className="rs-tabs" role="tablist" aria-label={props.label}>
      {props.items.map((item) => (
        <button
          key={item.key}
          type="button"
          role="tab"
          aria-selected={item.key === props.value}
          data-testid={item.testId}
          className="rs-tab"
          onClick={() => props.onChange(item.key)}
        >
          {item.label}
          {item.badge !== undefined && item.badge !== null && <span className="rs-tab-badge">{item.badge}</span>}
        </button>
      ))}
    </div>
  );
}

/** Pill-shaped choice between a few modes (output ports, matrix normalisation). */
export function Segmented<K extends string>(props: {
  items: TabItem<K>[];
  value: K;
  onChange: (key: K) => void;
  label: string;
  testId?: string;
}) {
  return (
    <div className="rs-segmented" role="group" aria-label={props.label} data-testid={props.testId}>
      {props.items.map((item) => (
        <button
          key={item.key}
          type="button"
          aria-pressed={item.key === props.value}
          data-testid={item.testId}
          className="rs-segment"
          onClick={() => props.onChange(item.key)}
        >
          {item.label}
          {item.badge !== undefined && item.badge !== null && <span className="rs-segment-badge">{item.badge}</span>}
        </button>
      ))}
    </div>
  );
}

/** An empty or waiting state that tells the user what will appear and what to do. */
export function EmptyState(props: { title: string; children?: ReactNode; icon?: ReactNode; testId?: string }) {
  return (
    <div className="rs-empty" data-testid={props.testId}>
      {props.icon && <div className="rs-empty-icon">{props.icon}</div>}
      <div className="rs-empty-title">{props.title}</div>
      {props.children && <div className="rs-empty-body">{props.children}</div>}
    </div>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span className="rs-spinner" role="status" aria-label={label} />;
}

export function LoadingBlock({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="rs-loading">
      <Spinner label={label} />
      <span>{label}</span>
    </div>
  );
}

export function ErrorBlock({ title, message }: { title: string; message: string }) {
  return (
    <div className="rs-callout rs-callout-error" role="alert">
      <div className="rs-callout-title">{title}</div>
      <div className="rs-callout-body">{message}</div>
    </div>
  );
}

/** A progress bar for running nodes; indeterminate when the stage reports no fraction. */
export function ProgressBar({ value }: { value: number | null }) {
  const determinate = typeof value === "number";
  return (
    <div className={`rs-progress ${determinate ? "" : "rs-progress-indeterminate"}`} role="progressbar"
      aria-valuemin={0} aria-valuemax={100} aria-valuenow={determinate ? Math.round(value * 100) : undefined}>
      <div className="rs-progress-fill" style={determinate ? { width: `${Math.min(100, Math.max(0, value * 100))}%` } : undefined} />
    </div>
  );
}

/** Label/value rows, for details and summaries. */
export function KeyValues({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="rs-kv">
      {rows.map(([label, value]) => (
        <div key={label} className="rs-kv-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const JSON_PREVIEW_LIMIT = 200_000;

/**
 * Raw JSON behind a disclosure. It is stringified only when opened: a model's state can be
 * megabytes, and most users never look at it.
 */
export function CollapsibleJson({ value, label = "Raw JSON" }: { value: unknown; label?: string }) {
  const [open, setOpen] = useState(false);
  let text = "";
  if (open) {
    text = JSON.stringify(value, null, 2) ?? "null";
    if (text.length > JSON_PREVIEW_LIMIT) {
      text = `${text.slice(0, JSON_PREVIEW_LIMIT)}\n… (${Math.round(text.length / 1024)} KB in all; truncated here)`;
    }
  }
  return (
    <div className="rs-json">
      <button type="button" className="rs-json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={`rs-chevron ${open ? "rs-chevron-open" : ""}`} aria-hidden>
          ›
        </span>
        {label}
      </button>
      {open && <pre className="rs-json-body">{text}</pre>}
    </div>
  );
}
