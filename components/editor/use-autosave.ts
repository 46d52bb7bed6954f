"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { currentDocument, useDocument } from "@/lib/editor/store";
import type { PipelineDocument } from "@/lib/editor/types";
import { useTRPC, useTRPCClient } from "@/lib/trpc";

export const AUTOSAVE_DELAY_MS = 800;

export interface SavedVersion {
  versionId: number;
  number: number;
}

export type SaveState =
  | { kind: "saved"; version: SavedVersion | null }
  | { kind: "saving" }
  | { kind: "dirty" }
  | { kind: "error"; message: string };

/**
 * Saves the document ~800 ms after the last edit; each save is a new immutable version. Lives
 * outside the document store on purpose: it watches the document, it is not part of it. The
 * document last known to be on the server is remembered by identity, so undoing back to it
 * counts as saved.
 */
export function useAutosave(pipelineId: number) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const doc = useDocument();
  const savedDoc = useRef<PipelineDocument | null>(null);
  const version = useRef<SavedVersion | null>(null);
  const inflight = useRef<Promise<SavedVersion> | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Re-render after a save lands (the refs above do not trigger renders).
  const [, setTick] = useState(0);

  /** Declares `base` as what the server holds (the pipeline was just opened or restored). */
  const reset = useCallback((base: PipelineDocument, v: SavedVersion) => {
    savedDoc.current = base;
    version.current = v;
    setError(null);
    setTick((t) => t + 1);
  }, []);

  const saveNow = useCallback(async (): Promise<SavedVersion> => {
    // One save at a time, in order: a later save must never land before an earlier one.
    while (inflight.current) await inflight.current.catch(() => undefined);
    const doc = currentDocument();
    if (!doc) throw new Error("Nothing to save yet");
    if (doc === savedDoc.current && version.current) return version.current;
    setSaving(true);
    const request = client.pipelines.save
      .mutate({ id: pipelineId, document: doc })
      .then((r) => ({ versionId: r.versionId, number: r.number }));
    inflight.current = request;
    try {
      const saved = await request;
      savedDoc.current = doc;
      version.current = saved;
      setError(null);
      void queryClient.invalidateQueries(trpc.pipelines.versions.queryFilter({ id: pipelineId }));
      void queryClient.invalidateQueries(trpc.pipelines.list.queryFilter());
      return saved;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      inflight.current = null;
      setSaving(false);
      setTick((t) => t + 1);
    }
  }, [client, pipelineId, queryClient, trpc]);

  const dirty = doc !== null && savedDoc.current !== null && doc !== savedDoc.current;

  useEffect(() => {
    if (!dirty || error) return;
    const timer = setTimeout(() => void saveNow().catch(() => undefined), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, dirty, error, saveNow]);

  // A failed save is retried by the next edit, not in a loop against a server that said no.
  useEffect(() => setError(null), [doc]);

  // Leaving the editor (a client-side link) must not drop the last edits still waiting on the timer.
  useEffect(
    () => () => {
      const doc = currentDocument();
      if (doc && savedDoc.current && doc !== savedDoc.current) {
        void client.pipelines.save.mutate({ id: pipelineId, document: doc }).catch(() => undefined);
      }
    },
    [client, pipelineId],
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const state: SaveState = saving
    ? { kind: "saving" }
    : error
      ? { kind: "error", message: error }
      : dirty
        ? { kind: "dirty" }
        : { kind: "saved", version: version.current };

  return { state, saveNow, reset };
}
