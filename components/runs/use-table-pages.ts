"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc";
import type { TablePage } from "@/server/artifacts/table";

/** Rows fetched per request: a few screens' worth, well under the API's 500-row cap. */
export const TABLE_PAGE_SIZE = 200;

export type TableRow = TablePage["rows"][number];

export function pagesForRange(first: number, last: number, pageSize = TABLE_PAGE_SIZE): number[] {
  if (last < first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) pages.push(p);
  return pages;
}

/** The first page: it also carries the columns and the row count the virtualiser needs. */
export function useFirstTablePage(hash: string) {
  const trpc = useTRPC();
  // Artifacts never change once written: a fetched page never needs refetching.
  return useQuery({
    ...trpc.artifacts.tablePage.queryOptions({ hash, offset: 0, limit: TABLE_PAGE_SIZE }),
    staleTime: Infinity,
  });
}

/**
 * Pages of an immutable table artifact, fetched only for the rows on screen. Each page is its own
 * query keyed by offset, so scrolling far down fetches that page directly instead of every page
 * before it (which an infinite query would do), and pages scrolled past stay cached.
 */
export function useTablePages(hash: string, head: TablePage | undefined, visibleFirst: number, visibleLast: number) {
  const trpc = useTRPC();
  const rowCount = head?.rowCount ?? 0;
  const pageIndexes = useMemo(
    () => pagesForRange(visibleFirst, Math.min(visibleLast, rowCount - 1)).filter((p) => p > 0),
    [visibleFirst, visibleLast, rowCount],
  );
  const rest = useQueries({
    queries: pageIndexes.map((p) => ({
      ...trpc.artifacts.tablePage.queryOptions({ hash, offset: p * TABLE_PAGE_SIZE, limit: TABLE_PAGE_SIZE }),
      staleTime: Infinity,
    })),
  });

  const pages = new Map<number, TableRow[]>();
  if (head) pages.set(0, head.rows);
  pageIndexes.forEach((p, i) => {
    const rows = rest[i]?.data?.rows;
    if (rows) pages.set(p, rows);
  });

  return {
    error: rest.find((q) => q.error)?.error ?? null,
    /** The row at `index`, or undefined while its page is loading. */
    rowAt: (index: number): TableRow | undefined =>
      pages.get(Math.floor(index / TABLE_PAGE_SIZE))?.[index % TABLE_PAGE_SIZE],
  };
}
