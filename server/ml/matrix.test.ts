import { describe, it, expect } from "vitest";
import { assertFinite, columnMeans, columnStds, fromRows, get, matrix, row, takeRows, toRows } from "./matrix";
import { MlInputError } from "./errors";

describe("matrix helpers", () => {
  const m = fromRows([[1, 10], [2, 20], [6, 30]]);

  it("stores rows row-major and gives row views", () => {
    expect(Array.from(m.data)).toEqual([1, 10, 2, 20, 6, 30]);
    expect(get(m, 2, 1)).toBe(30);
    expect(Array.from(row(m, 1))).toEqual([2, 20]);
    expect(toRows(takeRows(m, [2, 0, 2]))).toEqual([[6, 30], [1, 10], [6, 30]]);
  });

  it("computes column means and population / sample standard deviations", () => {
    // col0: mean (1+2+6)/3 = 3, squared deviations 4+1+9 = 14 -> pop std sqrt(14/3), sample sqrt(14/2)
    // col1: mean 20, squared deviations 100+0+100 = 200 -> pop std sqrt(200/3)
    expect(Array.from(columnMeans(m))).toEqual([3, 20]);
    const pop = columnStds(m);
    expect(pop[0]).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(pop[1]).toBeCloseTo(Math.sqrt(200 / 3), 12);
    expect(columnStds(m, 1)[0]).toBeCloseTo(Math.sqrt(7), 12);
  });

  it("rejects ragged rows and wrong data length", () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values but row 0 has 2/);
    expect(() => matrix(2, 2, new Float64Array(3))).toThrow(MlInputError);
  });
});

describe("assertFinite", () => {
  it("passes finite data", () => {
    expect(() => assertFinite(fromRows([[0, -1e308], [1e-300, 5]]))).not.toThrow();
  });
  it("names the first bad column by name and its row", () => {
    const m = fromRows([[1, 2, 3], [4, 5, Infinity], [Number.NaN, 0, 0]]);
    expect(() => assertFinite(m, ["a", "b", "price"])).toThrow(/column 'price' has Infinity at row 1/);
    try {
      assertFinite(m);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MlInputError);
      expect((e as Error).message).toMatch(/^column 2 has Infinity at row 1; impute or drop/);
      expect((e as MlInputError).details).toMatchObject({ row: 1, column: 2 });
    }
  });
  it("reports NaN as a missing value", () => {
    expect(() => assertFinite(fromRows([[1, Number.NaN]]), ["x", "y"])).toThrow(/column 'y' has NaN \(a missing value\) at row 0/);
  });
});
