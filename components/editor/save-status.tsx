"use client";

import type { SaveState } from "./use-autosave";
import styles from "./toolbar.module.css";

const TEXT: Record<SaveState["kind"], string> = {
  saved: "Saved",
  saving: "Saving…",
  dirty: "Unsaved changes",
  error: "Save failed",
};

export function SaveStatus({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const cls =
    state.kind === "error" ? styles.saveError : state.kind === "dirty" || state.kind === "saving" ? styles.saveDirty : styles.saveSaved;
  const label = state.kind === "saved" && state.version ? `Saved v${state.version.number}` : TEXT[state.kind];
  return (
    <span
      className={`${styles.saveStatus} ${cls}`}
      data-testid="save-status"
      data-state={state.kind}
      title={state.kind === "error" ? `${state.message} (click to retry)` : undefined}
      onClick={state.kind === "error" ? onRetry : undefined}
      role={state.kind === "error" ? "button" : "status"}
    >
      <span className={styles.saveDot} />
      {label}
    </span>
  );
}
