"use client";

import { useEffect } from "react";
import { copyNodes, pasteNodes, type Clipboard } from "@/lib/editor/clipboard";
import { removeElements } from "@/lib/editor/doc-ops";
import { currentDocument, docStore } from "@/lib/editor/store";
import { viewStore } from "./view-store";

/** Module-level so a copy survives navigating to another pipeline and pasting there. */
let clipboard: Clipboard | null = null;
/** Each paste of the same copy lands a step further, so repeated pastes do not stack exactly. */
let pasteCount = 0;

export const SHORTCUTS: [keys: string, action: string][] = [
  ["Delete / Backspace", "Delete selection"],
  ["Ctrl C / Ctrl V", "Copy / paste nodes"],
  ["Ctrl A", "Select all nodes"],
  ["Ctrl Z", "Undo"],
  ["Ctrl Shift Z / Ctrl Y", "Redo"],
  ["Ctrl S", "Save now"],
  ["Ctrl Enter", "Run pipeline"],
  ["Shift drag", "Box-select"],
  ["Esc", "Clear selection"],
];

/** Panels with their own text (logs, tables): there Ctrl+A/C/V keep their usual meaning. */
function inTextPanel(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el?.closest?.("[data-testid=bottom-panel], [data-testid=inspector]"));
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/**
 * Editor shortcuts on the window. In a text field only Save and Run apply, so typing (and the
 * field's own undo) behaves as users expect.
 */
export function useEditorKeyboard(actions: { save: () => void; run: () => void }) {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        actions.save();
        return;
      }
      if (mod && key === "enter") {
        e.preventDefault();
        actions.run();
        return;
      }
      if (isEditable(e.target) || e.defaultPrevented) return;
      if (mod && ["a", "c", "v"].includes(key) && (inTextPanel(e.target) || window.getSelection()?.toString())) return;

      const docs = docStore.getState();
      const view = viewStore.getState();
      const doc = currentDocument();
      if (!doc) return;

      if (mod && key === "z") {
        e.preventDefault();
        if (e.shiftKey) docs.redo();
        else docs.undo();
      } else if (mod && key === "y") {
        e.preventDefault();
        docs.redo();
      } else if (!mod && (e.key === "Delete" || e.key === "Backspace")) {
        if (view.selectedNodes.size === 0 && view.selectedEdges.size === 0) return;
        e.preventDefault();
        docs.edit((d) => removeElements(d, view.selectedNodes, view.selectedEdges));
        view.select([]);
      } else if (mod && key === "c") {
        const copied = copyNodes(doc, view.selectedNodes);
        if (copied) {
          clipboard = copied;
          pasteCount = 0;
        }
      } else if (mod && key === "v") {
        if (!clipboard) return;
        e.preventDefault();
        pasteCount += 1;
        const clip = clipboard;
        let ids: string[] = [];
        docs.edit((d) => {
          const r = pasteNodes(d, clip, { x: 40 * pasteCount, y: 40 * pasteCount });
          ids = r.ids;
          return r.doc;
        });
        view.select(ids);
      } else if (mod && key === "a") {
        e.preventDefault();
        view.select(doc.nodes.map((n) => n.id));
      } else if (e.key === "Escape") {
        view.select([]);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [actions]);
}
