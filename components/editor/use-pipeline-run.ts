"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useRunState } from "@/components/runs/use-run-state";
import { useTRPC } from "@/lib/trpc";
import type { SavedVersion } from "./use-autosave";

const ACTIVE = new Set(["queued", "running"]);

/**
 * The run the editor paints on the canvas: the one the user started or picked, else the
 * pipeline's latest run (so status survives a reload). Run state itself stays in react-query,
 * followed live by the runs helper's subscription.
 */
export function usePipelineRun(
  pipelineId: number,
  saveNow: () => Promise<SavedVersion>,
  notify: (m: string) => void,
  initialRunId: number | null = null,
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const latest = useQuery(trpc.runs.list.queryOptions({ pipelineId, limit: 1 }));
  const [picked, setPicked] = useState<number | null>(initialRunId);
  const runId = picked ?? latest.data?.[0]?.id ?? null;
  const { run, nodes } = useRunState(runId);

  const onStarted = useCallback(
    ({ runId: id }: { runId: number }) => {
      setPicked(id);
      void queryClient.invalidateQueries(trpc.runs.list.pathFilter());
    },
    [queryClient, trpc],
  );
  const onError = useCallback((e: { message: string }) => notify(e.message), [notify]);

  const start = useMutation(trpc.runs.start.mutationOptions({ onSuccess: onStarted, onError }));
  const resume = useMutation(trpc.runs.resume.mutationOptions({ onSuccess: onStarted, onError }));
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onError }));

  /** Saves first when there are unsaved edits: a run always refers to an immutable version. */
  const runPipeline = useCallback(
    async (forceFrom?: string) => {
      try {
        const { versionId } = await saveNow();
        start.mutate({ pipelineId, versionId, ...(forceFrom ? { forceFrom } : {}) });
      } catch (e) {
        notify(`Could not save before running: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [notify, pipelineId, saveNow, start],
  );

  const status = run?.status ?? null;
  return {
    runId,
    run,
    nodes,
    selectRun: setPicked,
    runPipeline,
    starting: start.isPending,
    active: status !== null && ACTIVE.has(status),
    canResume: status === "failed" || status === "interrupted" || status === "cancelled",
    cancel: () => runId !== null && cancel.mutate({ runId }),
    cancelling: cancel.isPending,
    resume: () => runId !== null && resume.mutate({ runId }),
    resuming: resume.isPending,
  };
}
