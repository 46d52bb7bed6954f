"use client";

import { useState, type ReactNode } from "react";
import { Select, TextInput } from "@/components/ui/input";
import type { FieldSpec } from "@/lib/editor/params-schema";
import { validateField } from "@/lib/editor/params-validate";
import { ColumnPicker, ColumnsPicker, type ColumnInfo } from "./column-widgets";
import { ObjectListField, RecordField } from "./group-widgets";
import { JsonInput, ListInput, NumberInput } from "./text-widgets";
import { UploadField } from "./upload-field";
import styles from "./inspector.module.css";

export interface ParamFieldProps {
  field: FieldSpec;
  /** The stored value; undefined when the stage default applies. */
  value: unknown;
  onChange: (value: unknown) => void;
  /** Sets several params of the node at once (an upload sets source and uploadId). */
  onPatch?: (patch: Record<string, unknown>) => void;
  /** Problems the engine reported for this field. */
  serverError?: string;
  columns: ColumnInfo[] | null;
  testId: string;
  /** Nested fields (inside a list item) drop the outer chrome. */
  compact?: boolean;
}

/** One param: label, the widget its schema calls for, and the first problem with its value. */
export function ParamField(props: ParamFieldProps) {
  const { field, value, serverError, compact } = props;
  const [localError, setLocalError] = useState<string | null>(null);
  const shown = value === undefined ? field.default : value;
  const error = localError ?? validateField(field, value) ?? serverError ?? null;

  if (field.kind === "boolean") {
    return (
      <div className={styles.field}>
        <label className={styles.checkboxRow}>
          <input
            type="checkbox"
            checked={Boolean(shown)}
            onChange={(e) => props.onChange(e.target.checked)}
            data-testid={props.testId}
          />
          {field.label}
        </label>
        {error && <span className={styles.error}>{error}</span>}
      </div>
    );
  }

  return (
    <div className={styles.field}>
      <label className={styles.label} htmlFor={props.testId}>
        <span>
          {field.label}
          {field.required && field.default === undefined && <span className={styles.required}>*</span>}
        </span>
        {!compact && <span className={styles.name}>{field.name}</span>}
      </label>
      <Widget {...props} shown={shown} invalid={Boolean(error)} onLocalError={setLocalError} />
      {error && (
        <span className={styles.error} data-testid={`${props.testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

type WidgetProps = ParamFieldProps & { shown: unknown; invalid: boolean; onLocalError: (m: string | null) => void };

function Widget(p: WidgetProps): ReactNode {
  const { field, shown, invalid, testId } = p;
  const common = { invalid, onLocalError: p.onLocalError, testId };
  switch (field.kind) {
    case "number":
    case "integer":
      return (
        <NumberInput
          {...common}
          value={typeof shown === "number" ? shown : undefined}
          onChange={p.onChange}
          placeholder={rangeHint(field)}
        />
      );
    case "enum":
      return <EnumSelect field={field} value={shown} onChange={p.onChange} invalid={invalid} testId={testId} />;
    case "column":
      return <ColumnPicker {...common} value={shown} onChange={p.onChange} columns={p.columns} />;
    case "columns":
      return <ColumnsPicker {...common} value={shown} onChange={p.onChange} columns={p.columns} />;
    case "string-list":
    case "number-list":
      return (
        <ListInput
          {...common}
          value={Array.isArray(shown) ? shown : undefined}
          onChange={p.onChange}
          numeric={field.kind === "number-list"}
        />
      );
    case "object-list":
      return <ObjectListField field={field} value={shown} onChange={p.onChange} columns={p.columns} testId={testId} />;
    case "record":
      return <RecordField field={field} value={shown} onChange={p.onChange} testId={testId} />;
    case "upload":
      return (
        <UploadField value={shown} onPatch={p.onPatch ?? ((patch) => p.onChange(patch[field.name]))} name={field.name} accept={field.accept} testId={testId} />
      );
    case "string":
      return (
        <TextInput
          id={testId}
          value={typeof shown === "string" ? shown : ""}
          invalid={invalid}
          data-testid={testId}
          // An emptied optional field is removed, so the stage sees "not set" rather than "".
          onChange={(e) => p.onChange(e.target.value === "" && !field.required ? undefined : e.target.value)}
        />
      );
    default:
      return <JsonInput {...common} value={shown} onChange={p.onChange} />;
  }
}

function rangeHint(field: FieldSpec): string | undefined {
  const lo = field.minimum ?? field.exclusiveMinimum;
  const hi = field.maximum ?? field.exclusiveMaximum;
  if (lo !== undefined && hi !== undefined) return `${lo} – ${hi}`;
  if (lo !== undefined) return `≥ ${lo}`;
  if (hi !== undefined) return `≤ ${hi}`;
  return undefined;
}

function EnumSelect({ field, value, onChange, invalid, testId }: {
  field: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
  invalid: boolean;
  testId: string;
}) {
  const options = field.options ?? [];
  const unset = value === undefined || value === null;
  return (
    <Select
      id={testId}
      value={unset ? "" : String(value)}
      invalid={invalid}
      data-testid={testId}
      onChange={(e) => {
        if (e.target.value === "") return onChange(field.nullable ? null : undefined);
        // Options may be numbers or booleans; map the text back to the original value.
        onChange(options.find((o) => String(o) === e.target.value));
      }}
    >
      {(unset || !field.required || field.nullable) && <option value="">{field.nullable ? "None" : "—"}</option>}
      {options.map((o) => (
        <option key={String(o)} value={String(o)}>
          {field.optionLabels?.[String(o)] ?? optionLabel(o)}
        </option>
      ))}
    </Select>
  );
}

/** Whitespace options (a tab delimiter) would render as blanks. */
function optionLabel(o: string | number | boolean): string {
  if (o === "\t") return "Tab";
  if (o === " ") return "Space";
  if (o === "") return "(empty)";
  return String(o);
}
