"use client";

import { useDeferredValue, useMemo, useState, type DragEvent } from "react";
import { SearchIcon } from "@/components/ui/icons";
import { TextInput } from "@/components/ui/input";
import type { StageInfo } from "@/lib/editor/types";
import { categoryColor } from "./theme";
import styles from "./palette.module.css";

/** The dataTransfer type a palette drag carries; the canvas accepts only this. */
export const STAGE_DRAG_TYPE = "application/x-pipeline-stage";

function groupByCategory(stages: StageInfo[]): [string, StageInfo[]][] {
  // The catalog arrives sorted by category (Ingest -> Predict); keep that order.
  const groups = new Map<string, StageInfo[]>();
  for (const s of stages) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  return [...groups];
}

export function Palette({ stages, onAdd }: { stages: StageInfo[]; onAdd: (stage: StageInfo) => void }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const groups = useMemo(() => {
    const q = deferred.trim().toLowerCase();
    const hits = q
      ? stages.filter((s) => `${s.title} ${s.description} ${s.id}`.toLowerCase().includes(q))
      : stages;
    return groupByCategory(hits);
  }, [stages, deferred]);

  function onDragStart(event: DragEvent, stage: StageInfo) {
    event.dataTransfer.setData(STAGE_DRAG_TYPE, stage.id);
    event.dataTransfer.setData("text/plain", stage.title);
    event.dataTransfer.effectAllowed = "copy";
  }

  return (
    <aside className={styles.palette} aria-label="Stages" data-testid="palette">
      <div className={styles.search}>
        <SearchIcon size={14} className={styles.searchIcon} />
        <TextInput
          className={styles.searchInput}
          type="search"
          placeholder="Search stages"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search"
        />
      </div>
      <div className={styles.list}>
        {groups.map(([category, items]) => (
          <section key={category}>
            <h3 className={styles.category}>{category}</h3>
            {items.map((stage) => (
              <button
                key={stage.id}
                type="button"
                className={styles.item}
                draggable
                onDragStart={(e) => onDragStart(e, stage)}
                // Keyboard and double-click users add at the centre of the view.
                onDoubleClick={() => onAdd(stage)}
                onKeyDown={(e) => e.key === "Enter" && onAdd(stage)}
                title={`${stage.title}: drag onto the canvas (or double-click to add)`}
                data-testid={`palette-item-${stage.id}`}
              >
                <span className={styles.swatch} style={{ background: categoryColor(stage.category) }} />
                <span>
                  <div className={styles.itemTitle}>{stage.title}</div>
                  <div className={styles.itemDesc}>{stage.description}</div>
                </span>
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className={styles.none}>No stage matches “{query}”.</p>}
      </div>
      <div className={styles.hint}>Drag a stage onto the canvas</div>
    </aside>
  );
}
