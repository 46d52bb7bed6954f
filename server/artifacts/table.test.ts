import { describe, expect, it } from "vitest";
import { tableFromIPC } from "apache-arrow";
import { makeTable, readTablePage, ROWS_PER_BATCH, tableFromArrow, tableToArrow, takeRows } from "./table";

describe("Arrow tables", () => {
  const n = ROWS_PER_BATCH * 2 + 10;
  const table = makeTable([
    { name: "x", kind: "number", values: Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : i / 2)) },
    { name: "s", kind: "string", values: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `välue ✓ ${i}`)) },
  ]);
  const bytes = tableToArrow(table);

  it("round-trips numbers, text, missing values and unicode", () => {
    const back = tableFromArrow(bytes);
    expect(back.rowCount).toBe(n);
    expect(back.columns.map((c) => [c.name, c.kind])).toEqual([["x", "number"], ["s", "string"]]);
    expect(Array.from(back.columns[0].values.slice(0, 3) as Float64Array)).toEqual([Number.NaN, 0.5, 1]);
    expect(back.columns[1].values.slice(0, 2)).toEqual([null, "välue ✓ 1"]);
    expect(back.columns[1].values[n - 1]).toBe(`välue ✓ ${n - 1}`);
  });

  it("writes missing values as Arrow nulls that other Arrow readers see", () => {
    const arrow = tableFromIPC(bytes);
    expect(arrow.getChild("x")!.get(0)).toBeNull();
    expect(arrow.getChild("x")!.nullCount).toBe(Math.ceil(n / 7));
    expect(arrow.getChild("s")!.get(5)).toBeNull();
  });

  it("reads a page that spans two record batches", () => {
    const page = readTablePage(bytes, ROWS_PER_BATCH - 2, 4);
    expect(page.rowCount).toBe(n);
    expect(page.rows.map((r) => r[0])).toEqual([16382 / 2, 16383 / 2, 16384 / 2, 16385 / 2]);
    expect(readTablePage(bytes, n - 1, 100).rows).toHaveLength(1);
    expect(readTablePage(bytes, n + 5, 10).rows).toEqual([]);
  });

  it("keeps the rows asked for, in order", () => {
    const picked = takeRows(table, [3, 1]);
    expect(Array.from(picked.columns[0].values as Float64Array)).toEqual([1.5, 0.5]);
    expect(picked.columns[1].values).toEqual(["välue ✓ 3", "välue ✓ 1"]);
  });

  it("refuses columns of different lengths and duplicate names", () => {
    expect(() => makeTable([{ name: "a", kind: "number", values: new Float64Array(2) }, { name: "b", kind: "string", values: ["x"] }])).toThrow(/has 1 values, expected 2/);
    expect(() => makeTable([{ name: "a", kind: "string", values: [] }, { name: "a", kind: "string", values: [] }])).toThrow(/Duplicate column name "a"/);
  });
});
