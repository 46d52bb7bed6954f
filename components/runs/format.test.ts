import { describe, expect, it } from "vitest";
import {
  columnDecimals,
  elapsedMs,
  formatBytes,
  formatCellNumber,
  formatColumnNumber,
  formatDuration,
  formatMetric,
  formatPercent,
  plural,
} from "./format";

describe("formatDuration", () => {
  it("picks a unit that fits the magnitude", () => {
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(4_249)).toBe("4.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(192_000)).toBe("3m 12s");
    expect(formatDuration(3_840_000)).toBe("1h 04m");
    expect(formatDuration(null)).toBe("—");
  });

  it("measures a running span up to now", () => {
    expect(elapsedMs(1_000, null, 4_000)).toBe(3_000);
    expect(elapsedMs(1_000, 2_500, 4_000)).toBe(1_500);
    expect(elapsedMs(null, null, 4_000)).toBeNull();
  });
});

describe("formatCellNumber", () => {
  it("keeps integers bare so ids and years read as written", () => {
    expect(formatCellNumber(10023)).toBe("10023");
    expect(formatCellNumber(-3)).toBe("-3");
  });

  it("rounds fractions to 4 decimals and uses exponents at the extremes", () => {
    expect(formatCellNumber(0.123456)).toBe("0.1235");
    expect(formatCellNumber(2.5)).toBe("2.5");
    expect(formatCellNumber(0.00001234)).toBe("1.234e-5");
  });
});

describe("metrics and counts", () => {
  it("formats metrics, percentages, counts and sizes", () => {
    expect(formatMetric(0.91234)).toBe("0.912");
    expect(formatMetric(null)).toBe("—");
    expect(formatPercent(0.8751)).toBe("87.5%");
    expect(plural(1000, "row")).toBe("1,000 rows");
    expect(plural(1, "column")).toBe("1 column");
    expect(formatBytes(1536)).toBe("1.5 KB");
  });
});

describe("column number formatting", () => {
  it("gives a column the decimals its values need, so points line up", () => {
    const sample = [1266.35, 121.3, 89, null, "x"];
    expect(columnDecimals(sample)).toBe(2);
    expect(formatColumnNumber(121.3, 2)).toBe("121.30");
    expect(formatColumnNumber(89, 2)).toBe("89.00");
    expect(columnDecimals([1, 2, 3])).toBe(0);
    expect(formatColumnNumber(10023, 0)).toBe("10023");
    expect(columnDecimals([0.123456])).toBe(4);
  });
});
