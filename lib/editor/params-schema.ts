/**
 * Turns a stage's params JSON Schema (made by zod's toJSONSchema on the server) into form fields
 * (params-validate.ts checks values against them). Together they are the one place the editor
 * interprets JSON Schema; no stage has UI code of its own.
 */

type Json = Record<string, unknown>;

export type FieldKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "enum"
  | "column"
  | "columns"
  | "upload"
  | "string-list"
  | "number-list"
  | "object-list"
  | "record"
  | "json";

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  label: string;
  required: boolean;
  nullable: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  options?: (string | number | boolean)[];
  /** object-list: the fields of one item. */
  itemFields?: FieldSpec[];
  /** record: the field describing each value. */
  valueField?: FieldSpec;
  /** Display names for enum options (the stage's `meta.options`), by option value. */
  optionLabels?: Record<string, string>;
  /** upload: the file types the chooser offers (`meta.accept`). */
  accept?: string;
  /** Shown only while each named param holds one of the listed values (`meta.showWhen`). */
  showWhen?: Record<string, unknown[]>;
}

/** zod writes ±MAX_SAFE_INTEGER bounds for z.int(); they say "integer", not "this range". */
const SAFE = Number.MAX_SAFE_INTEGER;

function asObj(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

function resolveRef(node: Json, root: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = asObj(target)?.[part];
  return { ...(asObj(target) ?? {}), ...node, $ref: undefined };
}

/** Collapses `anyOf: [X, {type:"null"}]`, `type: [X, "null"]` and unions of consts into one shape. */
function normalise(raw: Json, root: Json): { schema: Json; nullable: boolean } {
  const node = resolveRef(raw, root);
  let nullable = false;
  let schema: Json = node;
  if (Array.isArray(node.type)) {
    const types = (node.type as string[]).filter((t) => t !== "null");
    nullable = types.length < (node.type as string[]).length;
    schema = { ...node, type: types.length === 1 ? types[0] : types };
  }
  const variants = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (Array.isArray(variants)) {
    const resolved = variants.map((v) => resolveRef(v, root));
    const nonNull = resolved.filter((v) => v.type !== "null");
    nullable ||= nonNull.length < resolved.length;
    const { anyOf: _a, oneOf: _o, ...rest } = node;
    if (nonNull.length > 0 && nonNull.every((v) => "const" in v)) {
      schema = { ...rest, type: typeof nonNull[0].const, enum: nonNull.map((v) => v.const) };
    } else if (nonNull.length === 1) {
      schema = { ...nonNull[0], ...rest };
    } else {
      schema = { ...rest, type: undefined };
    }
  }
  return { schema, nullable };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && Math.abs(v) < SAFE ? v : undefined;
}

function kindOf(schema: Json, name: string): FieldKind {
  const widget = schema.widget;
  const type = schema.type;
  if (widget === "column" || widget === "columns" || widget === "upload") return widget;
  if (Array.isArray(schema.enum)) return "enum";
  if (name === "uploadId" && type === "string") return "upload";
  if (type === "string") return "string";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "boolean") return "boolean";
  if (type === "array") {
    const items = asObj(schema.items) ?? {};
    if (items.type === "number" || items.type === "integer") return "number-list";
    if (items.type === "string") return "string-list";
    if (items.type === "object" && asObj(items.properties)) return "object-list";
    return "json";
  }
  if (type === "object" && !asObj(schema.properties) && asObj(schema.additionalProperties)) return "record";
  return "json";
}

function toField(name: string, raw: Json, required: boolean, root: Json): FieldSpec {
  const { schema, nullable } = normalise(raw, root);
  const kind = kindOf(schema, name);
  const field: FieldSpec = {
    name,
    kind,
    label: typeof schema.description === "string" && schema.description ? schema.description : humanise(name),
    required,
    nullable,
    default: schema.default,
    minimum: num(schema.minimum),
    maximum: num(schema.maximum),
    exclusiveMinimum: num(schema.exclusiveMinimum),
    exclusiveMaximum: num(schema.exclusiveMaximum),
    minLength: num(schema.minLength),
    maxLength: num(schema.maxLength),
    pattern: typeof schema.pattern === "string" ? schema.pattern : undefined,
    minItems: num(schema.minItems),
    maxItems: num(schema.maxItems),
    options: Array.isArray(schema.enum) ? (schema.enum as FieldSpec["options"]) : undefined,
    accept: typeof schema.accept === "string" ? schema.accept : undefined,
  };
  const labelled = Array.isArray(schema.options) ? (schema.options as Json[]) : [];
  if (labelled.length) {
    field.optionLabels = Object.fromEntries(
      labelled.filter((o) => typeof o.label === "string").map((o) => [String(o.value), o.label as string]),
    );
  }
  const showWhen = asObj(schema.showWhen);
  if (showWhen) {
    field.showWhen = Object.fromEntries(Object.entries(showWhen).filter(([, v]) => Array.isArray(v))) as Record<string, unknown[]>;
  }
  if (kind === "object-list") field.itemFields = fieldsFromSchema(asObj(schema.items) ?? {}, root);
  if (kind === "record") field.valueField = toField("value", asObj(schema.additionalProperties) ?? {}, true, root);
  if (kind === "columns" || kind === "string-list" || kind === "number-list") {
    const items = normalise(asObj(schema.items) ?? {}, root).schema;
    if (Array.isArray(items.enum)) field.options = items.enum as FieldSpec["options"];
  }
  return field;
}

/** "learningRate" -> "Learning rate": a fallback when a param has no .describe() label. */
export function humanise(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldsFromSchema(schema: Json, root: Json = schema): FieldSpec[] {
  const props = asObj(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(props).map(([name, raw]) => toField(name, asObj(raw) ?? {}, required.has(name), root));
}
