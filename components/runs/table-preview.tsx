"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import type { TablePage } from "@/server/artifacts/table";
import { columnDecimals, formatColumnNumber, formatCount, plural } from "./format";
import { imageLayout, rowToRgba, type ImageLayout } from "./image-columns";
import { ErrorBlock, LoadingBlock } from "./panel-ui";
import { useFirstTablePage, useTablePages } from "./use-table-pages";
import "./table-preview.css";

const ROW_HEIGHT = 28;
/** Rows of an image table are taller, to fit the thumbnail. */
const IMAGE_ROW_HEIGHT = 44;
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

/** One row's pixels drawn at their own resolution and scaled up without smoothing. */
function ImageThumb({ row, layout }: { row: (number | string | null)[] | undefined; layout: ImageLayout }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { width, height } = layout.shape;
  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (!context || !row) return;
    context.putImageData(new ImageData(rowToRgba(row, layout), width, height), 0, 0);
  }, [row, layout, width, height]);
  const scale = (IMAGE_ROW_HEIGHT - 6) / height;
  if (!row) return <div className="tp-cell"><span className="tp-skeleton" /></div>;
  return (
    <div className="tp-cell tp-image">
      <canvas ref={ref} width={width} height={height} style={{ width: width * scale, height: height * scale }} />
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
  // Pixel columns of an image table are shown as one thumbnail column instead of hundreds of numbers.
  const layout = useMemo(() => (columns ? imageLayout(columns, head.data?.rows ?? []) : null), [columns, head.data?.rows]);
  const shown = useMemo(() => {
    const pixels = new Set(layout?.pixelIndices ?? []);
    return (columns ?? []).flatMap((column, index) => (pixels.has(index) ? [] : [{ column, index }]));
  }, [columns, layout]);
  const rowHeight = layout ? IMAGE_ROW_HEIGHT : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
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
    const imageWidth = layout ? [Math.max(72, Math.round((layout.shape.width * (IMAGE_ROW_HEIGHT - 6)) / layout.shape.height) + 20)] : [];
    const widths = [numberWidth, ...imageWidth, ...shown.map(({ column, index }) => columnWidth(column, index, sample, decimals[index]))];
    return { template: widths.map((w) => `${w}px`).join(" "), totalWidth: widths.reduce((a, b) => a + b, 0), decimals };
  }, [columns, head.data?.rows, rowCount, layout, shown]);

  const failure = head.error ?? error;
  if (failure) return <ErrorBlock title="Could not read this table" message={failure.message} />;
  if (head.isPending || !columns) return <LoadingBlock label="Loading rows…" />;

  const height = Math.min(maxHeight, HEADER_HEIGHT + Math.max(rowCount, 2) * rowHeight + 2);
  // The range actually on screen (the virtual items include overscan rows above and below).
  const viewport = virtualizer.scrollRect?.height ?? height;
  const shownFirst = Math.min(rowCount, Math.floor((virtualizer.scrollOffset ?? 0) / rowHeight) + 1);
  const shownLast = Math.min(rowCount, Math.floor(((virtualizer.scrollOffset ?? 0) + viewport - HEADER_HEIGHT) / rowHeight));

  return (
    <div className="tp" data-testid="table-preview" data-row-count={rowCount}>
      <div className="tp-meta">
        <span className="tp-shape">
          {plural(rowCount, "row")} × {plural(columns.length, "column")}
          {layout && (
            <span className="tp-image-note">
              {" "}· {formatCount(layout.pixelIndices.length)} pixel columns shown as {layout.shape.width}×{layout.shape.height} images
            </span>
          )}
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
            {layout && (
              <div className="tp-head" role="columnheader" title="The pixel columns, drawn">
                <span className="tp-head-name">image</span>
              </div>
            )}
            {shown.map(({ column }) => (
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
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                <div className="tp-cell tp-rownum">{item.index + 1}</div>
                {layout && <ImageThumb row={row} layout={layout} />}
                {shown.map(({ column, index }) => (
                  <Cell key={column.name} value={row ? row[index] : undefined} kind={column.kind} decimals={decimals[index]} />
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
