import { describe, expect, it } from "vitest";
import { fromRows, matrix, takeRows } from "../matrix";
import { MlInputError } from "../errors";
import { Rng } from "../rng";
import { applyBinMapper, binMatrix, fitBinMapper, MAX_FINE_BINS, sortFinite } from "./binning";

function column(values: number[]) {
  return fromRows(values.map((v) => [v]));
}

describe("fitBinMapper", () => {
  it("gives each of few distinct values its own bin, with edges at the midpoints", () => {
    const { mapper, codes } = binMatrix(column([3, 1, 2, 2, 10, 1]));
    expect(Array.from(mapper.thresholds[0]!)).toEqual([1.5, 2.5, 6.5]);
    expect(mapper.nBins[0]).toBe(4);
    expect(Array.from(mapper.binValues[0]!)).toEqual([1, 2, 3, 10]);
    expect(Array.from(codes)).toEqual([2, 0, 1, 1, 3, 0]);
  });

  it("uses numpy's midpoint percentiles when there are more distinct values than bins", () => {
    // np.percentile(np.arange(10.), [25, 50, 75], method="midpoint") -> [2.5, 4.5, 6.5], and
    // sklearn's _BinMapper(n_bins=5) (4 non-missing bins) gives the same bin_thresholds_.
    const m = fitBinMapper(column([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { maxBins: 4 });
    expect(Array.from(m.thresholds[0]!)).toEqual([2.5, 4.5, 6.5]);
    expect(m.binValues[0]).toBeNull();
  });

  it("matches sklearn's _BinMapper edges on 1000 distinct values", () => {
    /*
      v = np.array([((i*7919) % 1009)/7 for i in range(1000)]).reshape(-1,1)
      t = _BinMapper(n_bins=256).fit(v).bin_thresholds_[0]
      len(t), t[0], t[1], t[2], t[100], t[253]   # 254 0.5 1.0714285714285714 1.6428571428571428 57.214285714285715 143.5
      _BinMapper(n_bins=256).fit(v).transform([[0.],[t[100]],[np.nextafter(t[100],1e9)],[1e9]])  # 0 100 101 254
    */
    const v = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1009) / 7);
    const m = fitBinMapper(column(v));
    const t = m.thresholds[0]!;
    expect(t.length).toBe(254);
    expect([t[0], t[1], t[2], t[100], t[253]]).toEqual([0.5, 1.0714285714285714, 1.6428571428571428, 57.214285714285715, 143.5]);
    const probe = column([0, t[100]!, t[100]! + 1e-12, 1e9]);
    expect(Array.from(applyBinMapper(probe, m))).toEqual([0, 100, 101, 254]);
  });

  it("maps x <= thresholds[b] to codes <= b, column-major", () => {
    const rng = new Rng(3);
    const X = matrix(500, 3);
    for (let i = 0; i < 500; i++) {
      X.data[i * 3] = rng.normal();
      X.data[i * 3 + 1] = Math.floor(rng.uniform(0, 5));
      X.data[i * 3 + 2] = rng.uniform(-1e6, 1e6);
    }
    const { mapper, codes } = binMatrix(X, { maxBins: 32 });
    for (let f = 0; f < 3; f++) {
      const t = mapper.thresholds[f]!;
      for (let i = 0; i < 500; i++) {
        const x = X.data[i * 3 + f]!;
        const c = codes[f * 500 + i]!;
        for (let b = 0; b < t.length; b++) expect(x <= t[b]!).toBe(c <= b);
      }
    }
    expect(mapper.nBins[1]).toBe(5);
  });

  it("learns the edges from a seeded subsample of the rows", () => {
    const rng = new Rng(1);
    const X = matrix(3000, 1);
    for (let i = 0; i < 3000; i++) X.data[i] = rng.normal();
    const a = fitBinMapper(X, { subsample: 1000, seed: 7 });
    const b = fitBinMapper(X, { subsample: 1000, seed: 7 });
    const c = fitBinMapper(X, { subsample: 1000, seed: 8 });
    expect(a.thresholds[0]).toEqual(b.thresholds[0]);
    expect(a.thresholds[0]).not.toEqual(c.thresholds[0]);
    expect(a.nBins[0]).toBe(255);
  });

  it("bins finely into Uint16 codes, one bin per distinct value", () => {
    const X = column(Array.from({ length: 1000 }, (_, i) => (i * 37) % 1000));
    const m = fitBinMapper(X, { maxBins: MAX_FINE_BINS });
    expect(m.nBins[0]).toBe(1000);
    const codes = applyBinMapper(X, m, new Uint16Array(1000));
    for (let i = 0; i < 1000; i++) expect(codes[i]).toBe((i * 37) % 1000);
    expect(() => applyBinMapper(X, m)).toThrow(/Uint16Array/);
  });

  it("keeps a constant feature in one bin", () => {
    const m = fitBinMapper(column([4, 4, 4]));
    expect(m.nBins[0]).toBe(1);
    expect(Array.from(applyBinMapper(column([4, -1, 9]), m))).toEqual([0, 0, 0]);
  });

  it("rejects a bad maxBins and mismatched columns", () => {
    expect(() => fitBinMapper(column([1, 2]), { maxBins: 1 })).toThrow(MlInputError);
    expect(() => fitBinMapper(column([1, 2]), { maxBins: 70000 })).toThrow(/maxBins/);
    const m = fitBinMapper(column([1, 2]));
    expect(() => applyBinMapper(fromRows([[1, 2]]), m)).toThrow(/2 feature columns but the bins were learned on 1/);
  });
});

describe("sortFinite", () => {
  const sortedLikeBuiltIn = (values: number[]) => {
    const expected = Float64Array.from(values).sort();
    const got = Float64Array.from(values);
    sortFinite(got, new Float64Array(got.length));
    // Object.is tells -0 from +0: the built-in sort puts -0 first.
    expect(Array.from(got).map((v) => (Object.is(v, -0) ? "-0" : v))).toEqual(Array.from(expected).map((v) => (Object.is(v, -0) ? "-0" : v)));
  };

  it("orders signs, zeros, duplicates, subnormals and extremes as Float64Array.prototype.sort does", () => {
    sortedLikeBuiltIn([3, -1, 0, -0, 2, 2, -1e-310, 5e-324, -Number.MAX_VALUE, Number.MAX_VALUE, 1e300, -2.5, 0, -0, 7]);
    sortedLikeBuiltIn([]);
    sortedLikeBuiltIn([1]);
    sortedLikeBuiltIn([4, 4, 4, 4]);
  });

  it("sorts random values of every magnitude, in place in a view at an offset", () => {
    const rng = new Rng(5);
    const values = Array.from({ length: 5001 }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 40 - 20));
    sortedLikeBuiltIn(values);
    const buffer = new Float64Array(values.length + 3);
    const view = buffer.subarray(3);
    view.set(values);
    sortFinite(view, new Float64Array(view.length));
    expect(Array.from(view)).toEqual(Array.from(Float64Array.from(values).sort()));
  });
});

describe("binning some rows of a matrix in place", () => {
  it("gives the bins and codes of the copied rows, with and without subsampling", () => {
    const rng = new Rng(9);
    const X = fromRows(Array.from({ length: 300 }, () => [rng.next() * 10, Math.floor(rng.next() * 4), rng.next() - 0.5]));
    const rows = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 300);
    const copy = takeRows(X, rows);
    for (const options of [{ maxBins: 16 }, { maxBins: 16, subsample: 50, seed: 3 }]) {
      const inPlace = fitBinMapper(X, { ...options, rows });
      const copied = fitBinMapper(copy, options);
      expect(inPlace.thresholds.map((t) => Array.from(t))).toEqual(copied.thresholds.map((t) => Array.from(t)));
      expect(Array.from(applyBinMapper(X, inPlace, new Uint8Array(200 * 3), rows))).toEqual(Array.from(applyBinMapper(copy, copied)));
    }
  });
});
