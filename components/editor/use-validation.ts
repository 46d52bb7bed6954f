"use client";

import { keepPreviousData, skipToken, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useDocument } from "@/lib/editor/store";
import type { GraphIssue, PipelineDocument } from "@/lib/editor/types";
import { useTRPC } from "@/lib/trpc";

const VALIDATE_DELAY_MS = 400;
const NO_ISSUES: GraphIssue[] = [];

/**
 * Asks the engine's own validator about the document as it is being edited, a moment after the
 * last change. The server is the authority (unknown stages, params against each stage's zod
 * schema); the editor's own checks only make mistakes harder to make.
 */
export function useValidation(): GraphIssue[] {
  const trpc = useTRPC();
  const doc = useDocument();
  const [settled, setSettled] = useState<PipelineDocument | null>(doc);

  useEffect(() => {
    const timer = setTimeout(() => setSettled(doc), VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc]);

  const { data } = useQuery({
    ...trpc.pipelines.validate.queryOptions(settled ? { document: settled } : skipToken),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  return data?.issues ?? NO_ISSUES;
}
