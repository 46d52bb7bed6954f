"use client";

import { Button } from "@/components/ui/button";
import { PlusIcon, TrashIcon } from "@/components/ui/icons";
import { Select, TextInput } from "@/components/ui/input";
import type { FieldSpec } from "@/lib/editor/params-schema";
import type { ColumnInfo } from "./column-widgets";
import { ParamField } from "./param-field";
import styles from "./inspector.module.css";

type Obj = Record<string, unknown>;

/** A list of objects (validation rules, filters): one bordered group per item, add and remove. */
export function ObjectListField({ field, value, onChange, columns, testId }: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  columns: ColumnInfo[] | null;
  testId: string;
}) {
  const items = Array.isArray(value) ? (value as Obj[]) : [];
  const itemFields = field.itemFields ?? [];
  const blank = () => Object.fromEntries(itemFields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]));
  const update = (i: number, patch: Obj) => onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));

  return (
    <div className={styles.fields} data-testid={testId}>
      {items.map((item, i) => (
        <div key={i} className={styles.group}>
          <div className={styles.groupHead}>
            <span>#{i + 1}</span>
            <Button variant="ghost" size="sm" iconOnly title="Remove" onClick={() => onChange(items.filter((_, j) => j !== i))}>
              <TrashIcon size={13} />
            </Button>
          </div>
          {itemFields.map((f) => (
            <ParamField
              key={f.name}
              compact
              field={f}
              value={item?.[f.name]}
              onChange={(v) => update(i, { [f.name]: v })}
              columns={columns}
              testId={`${testId}-${i}-${f.name}`}
            />
          ))}
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...items, blank()])} data-testid={`${testId}-add`}>
        <PlusIcon size={12} />
        Add
      </Button>
    </div>
  );
}

/** Key/value rows for an optional record (e.g. per-column type overrides). */
export function RecordField({ field, value, onChange, testId }: {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  testId: string;
}) {
  const entries = Object.entries((value as Obj | undefined) ?? {});
  const valueField = field.valueField;
  // An empty record is removed: the stage then sees "not set", as for a fresh node.
  const commit = (next: [string, unknown][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  const newValue = () => valueField?.default ?? valueField?.options?.[0] ?? "";

  return (
    <div className={styles.fields} data-testid={testId}>
      {entries.map(([k, v], i) => (
        <div key={i} className={styles.kvRow}>
          <TextInput
            value={k}
            placeholder="key"
            data-testid={`${testId}-${i}-key`}
            onChange={(e) => commit(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))}
          />
          {valueField?.options ? (
            <Select
              value={String(v)}
              data-testid={`${testId}-${i}-value`}
              onChange={(e) => commit(entries.map((en, j) => (j === i ? [k, valueField.options!.find((o) => String(o) === e.target.value)] : en)))}
            >
              {valueField.options.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </Select>
          ) : (
            <TextInput
              value={v === undefined ? "" : String(v)}
              placeholder="value"
              data-testid={`${testId}-${i}-value`}
              onChange={(e) => {
                const raw = e.target.value;
                const typed = valueField?.kind === "number" || valueField?.kind === "integer" ? (raw === "" ? raw : Number(raw)) : raw;
                commit(entries.map((en, j) => (j === i ? [k, typed] : en)));
              }}
            />
          )}
          <Button variant="ghost" size="sm" iconOnly title="Remove" onClick={() => commit(entries.filter((_, j) => j !== i))}>
            <TrashIcon size={13} />
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => commit([...entries, [uniqueKey(entries), newValue()]])} data-testid={`${testId}-add`}>
        <PlusIcon size={12} />
        Add row
      </Button>
    </div>
  );
}

/** Object keys must be unique; a new row gets a placeholder key the user then renames. */
function uniqueKey(entries: [string, unknown][]): string {
  const taken = new Set(entries.map(([k]) => k));
  for (let n = 1; ; n++) if (!taken.has(`key${n}`)) return `key${n}`;
}
