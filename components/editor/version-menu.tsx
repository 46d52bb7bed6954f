"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ChevronDownIcon, HistoryIcon } from "@/components/ui/icons";
import { Popover } from "@/components/ui/popover";
import { relativeTime } from "@/lib/editor/format";
import { docStore } from "@/lib/editor/store";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { useEditorActions } from "./editor-context";
import styles from "./toolbar.module.css";

/**
 * Every saved version, newest first. "Restore" brings an old version back as an ordinary edit:
 * undoable, and autosaved as a new version, so history is never rewritten.
 */
export function VersionMenu({ pipelineId, currentNumber }: { pipelineId: number; currentNumber: number | null }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { notify } = useEditorActions();
  const versions = useQuery(trpc.pipelines.versions.queryOptions({ id: pipelineId }));
  const list = [...(versions.data ?? [])].sort((a, b) => b.number - a.number);
  const [restoring, setRestoring] = useState<number | null>(null);

  async function restore(versionId: number, number: number, close: () => void) {
    setRestoring(versionId);
    try {
      const old = await client.pipelines.get.query({ id: pipelineId, versionId });
      docStore.getState().edit(() => old.document);
      close();
    } catch (e) {
      notify(`Could not restore v${number}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setRestoring(null);
    }
  }

  return (
    <Popover
      trigger={({ toggle, open }) => (
        <Button variant="ghost" size="sm" onClick={toggle} aria-expanded={open} data-testid="version-menu">
          <HistoryIcon size={14} />
          {list.length} version{list.length === 1 ? "" : "s"}
          <ChevronDownIcon size={12} />
        </Button>
      )}
    >
      {(close) => (
        <>
          <div className={styles.menuHeader}>Versions</div>
          <div className={styles.menuList}>
            {list.map((v) => (
              <div key={v.id} className={styles.menuItem} data-testid={`version-${v.number}`}>
                <span>
                  v{v.number}
                  {v.number === currentNumber && <span className={styles.current}> · current</span>}
                </span>
                <span className={styles.versionRight}>
                  <span className={styles.muted} title={new Date(v.createdAt).toLocaleString()}>
                    {relativeTime(v.createdAt)}
                  </span>
                  {v.number !== currentNumber && (
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={restoring !== null}
                      onClick={() => void restore(v.id, v.number, close)}
                      data-testid={`restore-${v.number}`}
                    >
                      {restoring === v.id ? "Restoring…" : "Restore"}
                    </Button>
                  )}
                </span>
              </div>
            ))}
            {versions.isPending && <div className={styles.menuItem}>Loading…</div>}
          </div>
        </>
      )}
    </Popover>
  );
}
