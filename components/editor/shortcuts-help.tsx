"use client";

import { Button } from "@/components/ui/button";
import { KeyboardIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/input";
import { Popover } from "@/components/ui/popover";
import { SHORTCUTS } from "./use-editor-keyboard";
import styles from "./toolbar.module.css";

/** Keys rendered as caps; "Ctrl" also means ⌘ on a Mac, which the handler accepts. */
export function ShortcutsHelp() {
  return (
    <Popover
      align="end"
      trigger={({ toggle, open }) => (
        <Button variant="ghost" iconOnly title="Keyboard shortcuts" onClick={toggle} aria-expanded={open} data-testid="shortcuts-button">
          <KeyboardIcon />
        </Button>
      )}
    >
      <div className={styles.shortcuts} data-testid="shortcuts-help">
        <div className={styles.menuHeader}>Keyboard shortcuts</div>
        {SHORTCUTS.map(([keys, action]) => (
          <div key={action} className={styles.shortcutRow}>
            <span>{action}</span>
            <span className={styles.keys}>
              {keys.split(" / ").map((combo, i) => (
                <span key={combo} className={styles.keys}>
                  {i > 0 && <span className={styles.muted}>/</span>}
                  {combo.split(" ").map((k) => (
                    <Kbd key={k}>{k}</Kbd>
                  ))}
                </span>
              ))}
            </span>
          </div>
        ))}
        <div className={styles.muted} style={{ paddingTop: 6 }}>
          On a Mac, ⌘ works wherever Ctrl is shown.
        </div>
      </div>
    </Popover>
  );
}
