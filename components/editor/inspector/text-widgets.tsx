"use client";

import { useEffect, useRef, useState } from "react";
import { TextInput } from "@/components/ui/input";

/**
 * Inputs whose text and value differ ("1." is not yet a number, "a, b" is a list). The text is
 * kept locally while focused so typing is never fought by re-formatting; it re-syncs from the
 * document when the value changes from outside (undo, another field).
 */
function useDraft<T>(value: T, format: (v: T) => string) {
  const [draft, setDraft] = useState(() => format(value));
  const focused = useRef(false);
  useEffect(() => {
    // Only the value matters: `format` is a pure helper recreated every render.
    if (!focused.current) setDraft(format(value));
  }, [value]);
  const bind = {
    onFocus: () => (focused.current = true),
    onBlur: () => {
      focused.current = false;
      setDraft(format(value));
    },
  };
  return { draft, setDraft, bind };
}

interface DraftProps<T> {
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  /** Reports text that cannot become a value yet, so the field can say so. */
  onLocalError: (message: string | null) => void;
  invalid?: boolean;
  testId: string;
  placeholder?: string;
}

export function NumberInput({ value, onChange, onLocalError, invalid, testId, placeholder }: DraftProps<number>) {
  const { draft, setDraft, bind } = useDraft(value, (v) => (v === undefined || v === null ? "" : String(v)));
  return (
    <TextInput
      {...bind}
      inputMode="decimal"
      value={draft}
      invalid={invalid}
      placeholder={placeholder}
      id={testId}
      data-testid={testId}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        if (text.trim() === "") {
          onLocalError(null);
          onChange(undefined);
          return;
        }
        const n = Number(text);
        if (Number.isNaN(n) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
          onLocalError("Enter a number.");
          return;
        }
        onLocalError(null);
        onChange(n);
      }}
    />
  );
}

/** A list typed as "a, b, c"; numbers when `numeric`. */
export function ListInput({ value, onChange, onLocalError, invalid, testId, placeholder, numeric }: DraftProps<unknown[]> & { numeric?: boolean }) {
  const { draft, setDraft, bind } = useDraft(value, (v) => (Array.isArray(v) ? v.join(", ") : ""));
  return (
    <TextInput
      {...bind}
      value={draft}
      invalid={invalid}
      placeholder={placeholder ?? (numeric ? "e.g. 0.1, 1, 10" : "comma-separated")}
      id={testId}
      data-testid={testId}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
        if (!numeric) {
          onLocalError(null);
          onChange(parts);
          return;
        }
        const nums = parts.map(Number);
        const bad = parts.filter((_, i) => Number.isNaN(nums[i]));
        if (bad.length) {
          onLocalError(`Not a number: ${bad.join(", ")}`);
          return;
        }
        onLocalError(null);
        onChange(nums);
      }}
    />
  );
}

/** Free JSON for shapes the form has no widget for; the last line of defence, rarely seen. */
export function JsonInput({ value, onChange, onLocalError, invalid, testId }: DraftProps<unknown>) {
  const { draft, setDraft, bind } = useDraft(value, (v) => (v === undefined ? "" : JSON.stringify(v)));
  return (
    <TextInput
      {...bind}
      value={draft}
      invalid={invalid}
      placeholder="JSON value"
      id={testId}
      data-testid={testId}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        if (!text.trim()) {
          onLocalError(null);
          onChange(undefined);
          return;
        }
        try {
          onChange(JSON.parse(text));
          onLocalError(null);
        } catch {
          onLocalError("Not valid JSON.");
        }
      }}
    />
  );
}
