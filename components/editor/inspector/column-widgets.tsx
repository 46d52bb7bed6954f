"use client";

import { Select, TextInput } from "@/components/ui/input";
import { ListInput } from "./text-widgets";
import styles from "./inspector.module.css";

export interface ColumnInfo {
  name: string;
  kind?: string;
}

interface Props {
  value: unknown;
  onChange: (value: unknown) => void;
  onLocalError: (message: string | null) => void;
  columns: ColumnInfo[] | null;
  invalid?: boolean;
  testId: string;
}

/**
 * A column of the upstream table. With a known schema (after the upstream node ran) it is a
 * pick-list; before that, free text, since the columns are simply not known yet.
 */
export function ColumnPicker({ value, onChange, columns, invalid, testId }: Props) {
  const current = typeof value === "string" ? value : "";
  if (!columns) {
    return (
      <TextInput
        id={testId}
        value={current}
        invalid={invalid}
        placeholder="Column name"
        title="Run the upstream node to pick from its columns"
        data-testid={testId}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
      />
    );
  }
  const known = columns.some((c) => c.name === current);
  return (
    <Select
      id={testId}
      value={current}
      invalid={invalid}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
    >
      <option value="">Choose a column…</option>
      {current && !known && <option value={current}>{current} (not in the input)</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name}
          {c.kind ? ` · ${c.kind}` : ""}
        </option>
      ))}
    </Select>
  );
}

/** Several columns: toggle chips when the schema is known, else a comma-separated list. */
export function ColumnsPicker({ value, onChange, onLocalError, columns, invalid, testId }: Props) {
  const chosen = Array.isArray(value) ? value.map(String) : [];
  if (!columns) {
    return (
      <ListInput
        value={chosen}
        onChange={onChange}
        onLocalError={onLocalError}
        invalid={invalid}
        testId={testId}
        placeholder="col_a, col_b"
      />
    );
  }
  const toggle = (name: string) =>
    onChange(chosen.includes(name) ? chosen.filter((c) => c !== name) : [...chosen, name]);
  const missing = chosen.filter((c) => !columns.some((col) => col.name === c));
  return (
    <div className={styles.chips} data-testid={testId} role="group">
      {columns.map((c) => (
        <button
          key={c.name}
          type="button"
          className={`${styles.chip} ${chosen.includes(c.name) ? styles.chipOn : ""}`}
          aria-pressed={chosen.includes(c.name)}
          onClick={() => toggle(c.name)}
          title={c.kind}
        >
          {c.name}
        </button>
      ))}
      {missing.map((c) => (
        <button key={c} type="button" className={`${styles.chip} ${styles.chipOn}`} onClick={() => toggle(c)} title="Not in the input">
          {c} ✕
        </button>
      ))}
    </div>
  );
}
