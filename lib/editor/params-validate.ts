/**
 * Checks a param value against the constraints of its JSON Schema field (the same ones zod
 * enforces on the server), so the inspector can flag a bad value while it is typed.
 */
import type { FieldSpec } from "./params-schema";

type Json = Record<string, unknown>;

function asObj(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** The first problem with a value, as a sentence, or null. `undefined` means "use the default". */
export function validateField(field: FieldSpec, value: unknown): string | null {
  if (value === null) return field.nullable ? null : "A value is required.";
  if (value === undefined) {
    return field.required && field.default === undefined ? "A value is required." : null;
  }
  switch (field.kind) {
    case "number":
    case "integer": {
      if (typeof value !== "number" || Number.isNaN(value)) return "Enter a number.";
      if (field.kind === "integer" && !Number.isInteger(value)) return "Enter a whole number.";
      if (field.minimum !== undefined && value < field.minimum) return `Must be at least ${field.minimum}.`;
      if (field.maximum !== undefined && value > field.maximum) return `Must be at most ${field.maximum}.`;
      if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum)
        return `Must be greater than ${field.exclusiveMinimum}.`;
      if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum)
        return `Must be less than ${field.exclusiveMaximum}.`;
      return null;
    }
    case "string":
    case "column":
    case "upload": {
      if (typeof value !== "string") return "Enter text.";
      if (field.required && value === "") return "A value is required.";
      if (field.minLength !== undefined && value.length < field.minLength)
        return `Needs at least ${field.minLength} character${field.minLength === 1 ? "" : "s"}.`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `At most ${field.maxLength} characters.`;
      if (field.pattern && value !== "" && !safeTest(field.pattern, value)) return "This value has the wrong format.";
      return null;
    }
    case "enum":
      return field.options?.includes(value as never) ? null : `Choose one of: ${field.options?.join(", ")}.`;
    case "boolean":
      return typeof value === "boolean" ? null : "Must be on or off.";
    case "columns":
    case "string-list":
    case "number-list":
    case "object-list": {
      if (!Array.isArray(value)) return "Must be a list.";
      if (field.minItems !== undefined && value.length < field.minItems)
        return `Needs at least ${field.minItems} item${field.minItems === 1 ? "" : "s"}.`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `At most ${field.maxItems} items.`;
      if (field.kind === "number-list" && value.some((v) => typeof v !== "number" || Number.isNaN(v)))
        return "Every item must be a number.";
      if (field.kind === "object-list" && field.itemFields) {
        for (const [i, item] of value.entries()) {
          for (const f of field.itemFields) {
            const problem = validateField(f, (item as Json | null)?.[f.name]);
            if (problem) return `Item ${i + 1}, ${f.label}: ${problem}`;
          }
        }
      }
      return null;
    }
    case "record": {
      const rec = asObj(value);
      if (!rec) return "Must be a set of key/value pairs.";
      for (const [k, v] of Object.entries(rec)) {
        if (k === "") return "Every row needs a key.";
        const problem = field.valueField && validateField(field.valueField, v);
        if (problem) return `${k}: ${problem}`;
      }
      return null;
    }
    default:
      return isEmpty(value) && field.required ? "A value is required." : null;
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true;
  }
}

/**
 * Fields that only matter for one choice of a `source` enum are hidden for the others: with
 * `source: "path" | "upload"`, `path` shows for "path" and `uploadId` for "upload". A naming
 * convention rather than per-stage UI code.
 */
export function visibleFields(fields: FieldSpec[], params: Record<string, unknown>): FieldSpec[] {
  const valueOf = (name: string) => params[name] ?? fields.find((f) => f.name === name)?.default;
  // A stage can also say it outright: `meta.showWhen = { model: ["random-forest", ...] }`.
  const wanted = fields.filter(
    (f) => !f.showWhen || Object.entries(f.showWhen).every(([name, values]) => values.includes(valueOf(name))),
  );
  const source = wanted.find((f) => f.name === "source" && f.kind === "enum");
  if (!source?.options) return wanted;
  const chosen = String(valueOf("source") ?? "");
  return wanted.filter((f) => {
    if (f === source) return true;
    const owner = source.options!.map(String).find((o) => f.name.startsWith(o));
    return owner === undefined || owner === chosen;
  });
}
