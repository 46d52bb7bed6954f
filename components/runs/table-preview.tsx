"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import type { TablePage } from "@/server/artifacts/table";
import { columnDecimals, formatColumnNumber, formatCount, plural } from "./format";
import { ErrorBlock, LoadingBlock } from "./panel-ui";
import { useFirstTablePage, useTablePages } from "./use-table-pages";
import "./table-preview.css";

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 32;
const CHAR_WIDTH = 7.2;

type Column = TablePage["columns"][number];

/** Width from the header and the first page's values, clamped so one long string cannot take over. */
function columnWidth(column: Column, index: number, sample: (number | string | null)[][], decimals: number): number {
  let chars = column.name.length + 3; // room for the kind icon
  for (const row of sample.slice(0, 50)) {
    const v = row[index];
    const text = v === null ? "null" : typeof v === "number" ? formatColumnNumber(v, decimals) : v;
    chars = Math.max(chars, text.length);
  }
  return Math.round(Math.min(280, Math.max(72, chars * CHAR_WIDTH + 24)));
}

function KindIcon({ kind }: { kind: Column["kind"] }) {
  return (
    <span className={`tp-kind tp-kind-${kind}`} title={kind === "number" ? "Number column" : "Text column"}>
      {kind === "number" ? "#" : "Aa"}
    </span>
  );
}

function Cell({ value, kind, decimals }: { value: number | string | null | undefined; kind: Column["kind"]; decimals: number }) {
  if (value === undefined) return <div className="tp-cell"><span className="tp-skeleton" /></div>;
  if (value === null) return <div className={`tp-cell tp-${kind}`}><span className="tp-null">null</span></div>;
  const text = typeof value === "number" ? formatColumnNumber(value, decimals) : value;
  return (
    <div className={`tp-cell tp-${kind}`} title={text.length > 24 ? text : undefined}>
      {text}
    </div>
  );
}

export interface TablePreviewProps {
  /** The table artifact's hash. */
  hash: string;
  /** Height of the scrolling area; the preview shrinks to fit short tables. */
  maxHeight?: number;
}

/**
 * A virtualised, paged view of a table artifact: only the rows on screen are rendered, and only
 * the 200-row pages they fall in are fetched, so a million-row table opens as fast as a small one.
 */
export function TablePreview({ hash, maxHeight = 440 }: TablePreviewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const head = useFirstTablePage(hash);
  const rowCount = head.data?.rowCount ?? 0;
  const columns = head.data?.columns;
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows start below the sticky header, which sits in the same scrolling box.
    paddingStart: HEADER_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  const lastVisible = items[items.length - 1]?.index ?? 0;
  const { rowAt, error } = useTablePages(hash, head.data, firstVisible, lastVisible);

  // Widths and decimals come from the first page only, so columns do not jump as pages arrive.
  const { template, totalWidth, decimals } = useMemo(() => {
    const cols = columns ?? [];
    const sample = head.data?.rows ?? [];
    const decimals = cols.map((c, i) => (c.kind === "number" ? columnDecimals(sample.map((row) => row[i])) : 0));
    const numberWidth = Math.max(44, String(rowCount).length * CHAR_WIDTH + 20);
    const widths = [numberWidth, ...cols.map((c, i) => columnWidth(c, i, sample, decimals[i]))];
    return { template: widths.map((w) => `${w}px`).join(" "), totalWidth: widths.reduce((a, b) => a + b, 0), decimals };
  }, [columns, head.data?.rows, rowCount]);

  const failure = head.error ?? error;
  if (failure) return <ErrorBlock title="Could not read this table" message={failure.message} />;
  if (head.isPending || !columns) return <LoadingBlock label="Loading rows…" />;

  const height = Math.min(maxHeight, HEADER_HEIGHT + Math.max(rowCount, 2) * ROW_HEIGHT + 2);
  // The range actually on screen (the virtual items include overscan rows above and below).
  const viewport = virtualizer.scrollRect?.height ?? height;
  const shownFirst = Math.min(rowCount, Math.floor((virtualizer.scrollOffset ?? 0) / ROW_HEIGHT) + 1);
  const shownLast = Math.min(rowCount, Math.floor(((virtualizer.scrollOffset ?? 0) + viewport - HEADER_HEIGHT) / ROW_HEIGHT));

  return (
    <div className="tp" data-testid="table-preview" data-row-count={rowCount}>
      <div className="tp-meta">
        <span className="tp-shape">
          {plural(rowCount, "row")} × {plural(columns.length, "column")}
        </span>
        {rowCount > 0 && (
          <span className="tp-range">
            rows {formatCount(shownFirst)}–{formatCount(Math.max(shownFirst, shownLast))}
          </span>
        )}
      </div>
      <div ref={scrollRef} className="tp-scroll" style={{ height }} role="table" aria-rowcount={rowCount}>
        <div className="tp-canvas" style={{ width: totalWidth, height: virtualizer.getTotalSize() }}>
          <div className="tp-header" style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }} role="row">
            <div className="tp-head tp-rownum" />
            {columns.map((column) => (
              <div key={column.name} className={`tp-head tp-${column.kind}`} title={`${column.name} (${column.kind})`} role="columnheader">
                <KindIcon kind={column.kind} />
                <span className="tp-head-name">{column.name}</span>
              </div>
            ))}
          </div>
          {rowCount === 0 && <div className="tp-no-rows">This table has no rows.</div>}
          {items.map((item) => {
            const row = rowAt(item.index);
            return (
              <div
                key={item.key}
                className={`tp-row ${item.index % 2 ? "tp-row-odd" : ""}`}
                data-testid="table-row"
                data-index={item.index}
                role="row"
                style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <div className="tp-cell tp-rownum">{item.index + 1}</div>
                {columns.map((column, c) => (
                  <Cell key={column.name} value={row ? row[c] : undefined} kind={column.kind} decimals={decimals[c]} />
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
