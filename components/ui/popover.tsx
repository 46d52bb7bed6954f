"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import styles from "./ui.module.css";

export interface PopoverProps {
  /** Renders the trigger; call `toggle` from its onClick. */
  trigger: (state: { open: boolean; toggle: () => void }) => ReactNode;
  children: ReactNode | ((close: () => void) => ReactNode);
  align?: "start" | "end";
  className?: string;
}

/** A click-to-open panel that closes on outside click and Escape: enough for menus and help. */
export function Popover({ trigger, children, align = "start", className }: PopoverProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const close = () => setOpen(false);
  return (
    <div ref={root} className={styles.popoverRoot}>
      {trigger({ open, toggle: () => setOpen((o) => !o) })}
      {open && (
        <div
          className={[styles.popover, align === "end" ? styles.alignEnd : styles.alignStart, className].filter(Boolean).join(" ")}
          role="dialog"
        >
          {typeof children === "function" ? children(close) : children}
        </div>
      )}
    </div>
  );
}
