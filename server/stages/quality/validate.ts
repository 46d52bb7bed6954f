import { z } from "zod";
import { getColumn, type DataTable, type TableColumn } from "../../artifacts/table";
import { fmt, listNames } from "../common";
import { defineStage, StageError } from "../types";

const rule = z
  .object({
    column: z.string().min(1, "Pick the column this rule checks").meta({ widget: "column" }).describe("Column"),
    required: z.boolean().default(true).describe("Column must be present"),
    type: z.enum(["number", "string"]).optional().describe("Expected type"),
    min: z.number().optional().describe("Smallest allowed value"),
    max: z.number().optional().describe("Largest allowed value"),
    allowed: z.array(z.string()).optional().describe("Allowed values"),
    maxMissingShare: z.number().min(0).max(1).optional().describe("Largest share of missing values (0-1)"),
    unique: z.boolean().optional().describe("Values must be unique"),
    severity: z.enum(["error", "warning"]).default("error").describe("When it fails"),
  })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: "min must be less than or equal to max",
    path: ["max"],
  });

const params = z.object({
  rules: z.array(rule).default([]).describe("Rules"),
});

export type ValidationRule = z.output<typeof rule>;

export interface ValidationCheck {
  column: string;
  rule: "present" | "type" | "min" | "max" | "allowed" | "missing" | "unique";
  severity: "error" | "warning";
  passed: boolean;
  message: string;
  /** Number of failing rows (0 for column-level checks such as presence and type). */
  failingRows: number;
  /** The first few failing rows, 1-based data rows (row 1 is the first row below the header). */
  examples: number[];
}

export interface ValidationReport {
  passed: boolean;
  rows: number;
  checks: ValidationCheck[];
}

const EXAMPLES = 5;

export const validate = defineStage({
  id: "validate",
  version: 1,
  title: "Validate",
  category: "Validate",
  description: "Checks columns against rules (type, range, allowed values, missing share, uniqueness) and stops the run when an error rule fails.",
  params,
  inputs: { table: { type: "table", label: "Table" } },
  outputs: {
    table: { type: "table", label: "Table", description: "The input table, unchanged, when the checks pass." },
    report: { type: "report", label: "Report" },
  },
  run(ctx) {
    const table = ctx.readTable("table");
    const { rules } = ctx.params;
    if (rules.length === 0) ctx.warn("No rules are set, so nothing was checked. Add rules in the inspector.");
    const checks = rules.flatMap((r) => checkRule(table, r));
    const failedErrors = checks.filter((c) => !c.passed && c.severity === "error");
    const report: ValidationReport = { passed: failedErrors.length === 0, rows: table.rowCount, checks };
    const reportRef = ctx.writeJson("report", report, {
      passed: report.passed,
      checks: checks.length,
      failed: checks.filter((c) => !c.passed).length,
      errors: failedErrors.length,
      warnings: checks.filter((c) => !c.passed && c.severity === "warning").length,
    });
    for (const check of checks) {
      if (check.passed) continue;
      if (check.severity === "warning") ctx.warn(check.message);
      else ctx.log(`FAILED: ${check.message}`);
    }
    ctx.log(`${checks.length} checks, ${checks.filter((c) => !c.passed).length} failed (report ${reportRef.hash.slice(0, 12)}).`);
    if (failedErrors.length) {
      const lines = failedErrors.map((c) => `- ${c.message}`).join("\n");
      throw new StageError(
        `${failedErrors.length} validation ${failedErrors.length === 1 ? "rule" : "rules"} failed:\n${lines}\n` +
          "The report lists each check with example rows. Fix the data (e.g. with Clean) or relax the rule, or set its severity to warning.",
        { field: "rules", column: failedErrors[0].column, outputs: { report: reportRef } },
      );
    }
    ctx.progress(1);
    return { table: ctx.inputs.table, report: reportRef };
  },
});

/** Runs one rule's checks. Exported for reuse (e.g. monitoring of incoming data). */
export function checkRule(table: DataTable, r: ValidationRule): ValidationCheck[] {
  const base = { column: r.column, severity: r.severity } as const;
  const column = getColumn(table, r.column);
  if (!column) {
    if (!r.required) return [];
    return [
      {
        ...base,
        rule: "present",
        passed: false,
        message: `column '${r.column}' is missing from the table (its columns are ${listNames(table.columns.map((c) => c.name))})`,
        failingRows: 0,
        examples: [],
      },
    ];
  }
  const checks: ValidationCheck[] = [];
  const rowCheck = (rule: ValidationCheck["rule"], failing: (row: number) => boolean, describe: (count: number, examples: number[]) => string) => {
    let count = 0;
    const examples: number[] = [];
    for (let i = 0; i < table.rowCount; i++) {
      if (!failing(i)) continue;
      count++;
      if (examples.length < EXAMPLES) examples.push(i + 1);
    }
    checks.push({
      ...base,
      rule,
      passed: count === 0,
      message: count === 0 ? `column '${r.column}': ${rule} check passed` : describe(count, examples),
      failingRows: count,
      examples,
    });
  };
  const rowsText = (count: number, examples: number[]) =>
    `${count} row${count === 1 ? "" : "s"} (e.g. row${examples.length === 1 ? "" : "s"} ${examples.join(", ")})`;

  if (r.type && column.kind !== r.type) {
    checks.push({
      ...base,
      rule: "type",
      passed: false,
      message: `column '${r.column}' holds ${column.kind === "number" ? "numbers" : "text"}, expected ${r.type === "number" ? "numbers" : "text"}`,
      failingRows: 0,
      examples: [],
    });
  } else if (r.type) {
    checks.push({ ...base, rule: "type", passed: true, message: `column '${r.column}' is ${r.type}`, failingRows: 0, examples: [] });
  }

  for (const bound of ["min", "max"] as const) {
    const limit = r[bound];
    if (limit === undefined) continue;
    if (column.kind !== "number") {
      checks.push({
        ...base,
        rule: bound,
        passed: false,
        message: `column '${r.column}' holds text, so a ${bound} of ${fmt(limit)} cannot be checked; remove the bound or convert the column`,
        failingRows: 0,
        examples: [],
      });
      continue;
    }
    const values = column.values;
    rowCheck(
      bound,
      (i) => (bound === "min" ? values[i] < limit : values[i] > limit),
      (count, ex) => `column '${r.column}': ${rowsText(count, ex)} ${bound === "min" ? "below the minimum" : "above the maximum"} ${fmt(limit)}`,
    );
  }

  if (r.allowed) {
    const allowedText = new Set(r.allowed);
    const allowedNumbers = new Set(r.allowed.map(Number).filter((v) => !Number.isNaN(v)));
    const ok = (i: number) => {
      if (column.kind === "number") return Number.isNaN(column.values[i]) || allowedNumbers.has(column.values[i]);
      const v = column.values[i];
      return v === null || allowedText.has(v);
    };
    rowCheck(
      "allowed",
      (i) => !ok(i),
      (count, ex) => {
        const seen = firstValues(column, ex);
        return `column '${r.column}': ${rowsText(count, ex)} hold values outside the allowed list (${seen}); allowed: ${r.allowed!.map((a) => `'${a}'`).join(", ")}`;
      },
    );
  }

  if (r.maxMissingShare !== undefined) {
    const missing = missingCount(column);
    const share = table.rowCount ? missing / table.rowCount : 0;
    const examples: number[] = [];
    for (let i = 0; i < table.rowCount && examples.length < EXAMPLES; i++) if (isMissingAt(column, i)) examples.push(i + 1);
    const passed = share <= r.maxMissingShare;
    checks.push({
      ...base,
      rule: "missing",
      passed,
      message: passed
        ? `column '${r.column}': ${missing} missing (${pct(share)}), within ${pct(r.maxMissingShare)}`
        : `column '${r.column}': ${missing} of ${table.rowCount} values missing (${pct(share)}), more than the allowed ${pct(r.maxMissingShare)}; e.g. rows ${examples.join(", ")}`,
      failingRows: missing,
      examples,
    });
  }

  if (r.unique) {
    const seen = new Set<string | number>();
    rowCheck(
      "unique",
      (i) => {
        if (isMissingAt(column, i)) return false;
        const v = column.values[i] as string | number;
        if (seen.has(v)) return true;
        seen.add(v);
        return false;
      },
      (count, ex) => `column '${r.column}': ${rowsText(count, ex)} repeat a value seen in an earlier row (${firstValues(column, ex)})`,
    );
  }
  return checks;
}

function isMissingAt(column: TableColumn, i: number): boolean {
  return column.kind === "number" ? Number.isNaN(column.values[i]) : column.values[i] === null;
}

function missingCount(column: TableColumn): number {
  let n = 0;
  for (let i = 0; i < column.values.length; i++) if (isMissingAt(column, i)) n++;
  return n;
}

function firstValues(column: TableColumn, rows1: number[]): string {
  return [...new Set(rows1.map((r) => String(column.values[r - 1])))].map((v) => `'${v}'`).join(", ");
}

function pct(share: number): string {
  return `${fmt(share * 100)}%`;
}
