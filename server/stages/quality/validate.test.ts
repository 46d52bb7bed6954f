import { describe, expect, it } from "vitest";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { validate, type ValidationReport } from "./validate";

const data = () =>
  tableOf({
    id: [1, 2, 3, 3, 5, 6],
    age: [20, -1, 35, null, 130, 40],
    plan: ["basic", "pro", "gold", "basic", null, "basic"],
  });

async function runRules(rules: unknown[]) {
  const h = stageHarness();
  const input = h.putTable(data());
  const out = await h.run(validate, { rules }, { table: input });
  return { h, input, out, report: h.readJson<ValidationReport>(out.report) };
}

/** Runs rules that are expected to fail and returns the thrown error plus the report written before it. */
async function failing(rules: unknown[]) {
  const h = stageHarness();
  const input = h.putTable(data());
  const error = await h.run(validate, { rules }, { table: input }).catch((e) => e);
  expect(error).toBeInstanceOf(StageError);
  const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
  const reportLog = logs.find((m) => m.includes("(report "))!;
  const prefix = /\(report ([0-9a-f]{12})\)/.exec(reportLog)![1];
  return { error: error as StageError, logs, prefix };
}

describe("validate", () => {
  it("passes the input table through unchanged and writes a passing report", async () => {
    const { input, out, report } = await runRules([{ column: "id", type: "number", min: 1, max: 6 }]);
    expect(out.table).toEqual(input);
    expect(report.passed).toBe(true);
    expect(report.checks.map((c) => [c.rule, c.passed])).toEqual([
      ["type", true],
      ["min", true],
      ["max", true],
    ]);
    expect(out.report.kind).toBe("report");
    expect(out.report.summary).toMatchObject({ passed: true, checks: 3, failed: 0 });
  });

  it("counts rows outside min/max with 1-based example rows, missing values excluded", async () => {
    const { report } = await runRules([{ column: "age", min: 0, max: 120, severity: "warning" }]);
    const [min, max] = report.checks;
    expect(min).toMatchObject({ rule: "min", passed: false, failingRows: 1, examples: [2], severity: "warning" });
    expect(max).toMatchObject({ rule: "max", passed: false, failingRows: 1, examples: [5] });
    expect(report.passed).toBe(true); // only warnings failed
  });

  it("logs failing warnings with ctx.warn and still passes", async () => {
    const { h, report } = await runRules([{ column: "plan", allowed: ["basic", "pro"], severity: "warning" }]);
    expect(report.checks[0]).toMatchObject({ rule: "allowed", passed: false, failingRows: 1, examples: [3] });
    const warns = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("'gold'");
  });

  it("checks the missing share against the limit", async () => {
    // age has 1 of 6 missing = 16.7%
    const ok = await runRules([{ column: "age", maxMissingShare: 0.2 }]);
    expect(ok.report.checks[0]).toMatchObject({ rule: "missing", passed: true, failingRows: 1 });
    const bad = await failing([{ column: "age", maxMissingShare: 0.1 }]);
    expect(bad.error.message).toContain("1 of 6 values missing");
    expect(bad.error.message).toContain("e.g. rows 4");
  });

  it("flags repeated values for unique, pointing at the later occurrence", async () => {
    const { report } = await runRules([{ column: "id", unique: true, severity: "warning" }, { column: "plan", unique: true, severity: "warning" }]);
    expect(report.checks[0]).toMatchObject({ rule: "unique", failingRows: 1, examples: [4] });
    // plan: basic at rows 1, 4, 6 -> rows 4 and 6 repeat; the null at row 5 is not a duplicate.
    expect(report.checks[1]).toMatchObject({ rule: "unique", failingRows: 2, examples: [4, 6] });
  });

  it("allowed values on a number column compare as numbers", async () => {
    const { report } = await runRules([{ column: "id", allowed: ["1", "2", "3", "5"], severity: "warning" }]);
    expect(report.checks[0]).toMatchObject({ failingRows: 1, examples: [6] });
  });

  it("an error rule that fails throws a StageError listing the failures, after writing the report", async () => {
    const { error, logs, prefix } = await failing([
      { column: "age", type: "string" },
      { column: "zip" },
      { column: "age", max: 100, severity: "warning" },
    ]);
    expect(error.message).toContain("2 validation rules failed");
    expect(error.message).toContain("column 'age' holds numbers, expected text");
    expect(error.message).toContain("column 'zip' is missing from the table");
    expect(error.message).toContain("The report lists each check");
    expect(error.message).not.toContain("maximum"); // the warning is not an error
    expect(logs.filter((m) => m.startsWith("FAILED:"))).toHaveLength(2);
    expect(prefix).toMatch(/^[0-9a-f]{12}$/);
  });

  it("a column that is not required may be absent", async () => {
    const { report } = await runRules([{ column: "zip", required: false, min: 0 }]);
    expect(report.checks).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it("a min on a text column fails with a message saying why", async () => {
    const { error } = await failing([{ column: "plan", min: 0 }]);
    expect(error.message).toContain("holds text, so a min of 0 cannot be checked");
  });

  it("rejects bad rule params at validation", () => {
    expect(validate.params.safeParse({ rules: [{ column: "a", maxMissingShare: 1.5 }] }).success).toBe(false);
    const r = validate.params.safeParse({ rules: [{ column: "a", min: 5, max: 1 }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toContain("min must be less than or equal to max");
    expect(validate.params.safeParse({ rules: [{ column: "" }] }).success).toBe(false);
  });
});
