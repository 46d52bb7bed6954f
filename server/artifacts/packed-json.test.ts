import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeJson, encodeJson } from "./packed-json";
import { ArtifactStore } from "./store";

const roundTrip = (v: unknown): unknown => decodeJson(Buffer.from(encodeJson(v)), "test artifact");
const jsonRoundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("packed JSON artifacts", () => {
  it("stores values without long number arrays as the same plain JSON as before", () => {
    const v = { a: [1, 2.5, -0], b: "x", c: { d: null, e: [true, "y"] }, f: Array.from({ length: 1023 }, (_, i) => i / 3) };
    expect(Buffer.from(encodeJson(v)).toString("utf8")).toBe(JSON.stringify(v));
  });

  it("packs long arrays of whole numbers as int32 and of other finite numbers as float64", () => {
    const ints = Array.from({ length: 5000 }, (_, i) => (i % 7) - 3);
    const reals = Array.from({ length: 3000 }, (_, i) => (i === 5 ? -0 : i === 6 ? Number.MAX_VALUE : Math.sin(i) * 1e-300));
    const v = { trees: [{ feature: ints, threshold: reals, name: "t0" }], nested: [[1, 2], ints], top: 7 };
    const bytes = Buffer.from(encodeJson(v));
    expect(bytes.subarray(0, 3).toString()).toBe("PSJ");
    // Two int8 blocks of 5000 and a float64 block of 3000, plus a small header.
    expect(bytes.length).toBeLessThan(2 * 5000 + 3000 * 8 + 400); // the ints fit in int8
    const back = roundTrip(v) as typeof v;
    expect(back).toEqual(jsonRoundTrip(v));
    expect(Object.is(back.trees[0]!.threshold[5], 0)).toBe(true); // -0 comes back as JSON gives it: 0
    expect(back.trees[0]!.threshold[6]).toBe(Number.MAX_VALUE);
    expect(Array.isArray(back.trees[0]!.feature)).toBe(true); // plain arrays, as from JSON
  });

  it("leaves arrays with NaN, Infinity, strings or numbers beyond int32 to JSON semantics", () => {
    const n = 2000;
    const v = {
      nan: Array.from({ length: n }, (_, i) => (i === 10 ? NaN : i)),
      inf: Array.from({ length: n }, (_, i) => (i === 3 ? Infinity : 0.5)),
      mixed: Array.from({ length: n }, (_, i) => (i === 0 ? "a" : i)),
      big: Array.from({ length: n }, (_, i) => i * 2 ** 32),
      packedToo: Array.from({ length: n }, (_, i) => i),
    };
    expect(roundTrip(v)).toEqual(jsonRoundTrip(v));
    expect((roundTrip(v) as { nan: unknown[] }).nan[10]).toBeNull();
  });

  it("packs a top-level array, and falls back to JSON when a key clashes with the block marker", () => {
    const top = Array.from({ length: 4096 }, (_, i) => i * 0.25);
    expect(roundTrip(top)).toEqual(top);
    const clash = { $packed: 0, data: Array.from({ length: 4096 }, (_, i) => i) };
    expect(Buffer.from(encodeJson(clash)).toString("utf8")).toBe(JSON.stringify(clash));
    expect(roundTrip(clash)).toEqual(clash);
  });

  it("says which artifact is damaged when a packed file is cut short", () => {
    const bytes = Buffer.from(encodeJson({ x: Array.from({ length: 4096 }, (_, i) => i + 0.5) }));
    expect(() => decodeJson(bytes.subarray(0, bytes.length - 100), "Artifact 0123abcd")).toThrow(/Artifact 0123abcd is damaged \(block 0 runs past the end\); re-run the node/);
    expect(() => decodeJson(bytes.subarray(0, 12), "Artifact 0123abcd")).toThrow(/header runs past the end/);
  });

  describe("in the artifact store", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "packed-json-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("stores a forest-like model in half its JSON size and reads it back equal", () => {
      const store = new ArtifactStore(dir);
      const nodes = 20_000;
      const tree = (t: number) => ({
        feature: Array.from({ length: nodes }, (_, i) => (i * 7 + t) % 50),
        threshold: Array.from({ length: nodes }, (_, i) => Math.cos(i + t) * 3.123456789),
        left: Array.from({ length: nodes }, (_, i) => (2 * i + 1 < nodes ? 2 * i + 1 : -1)),
        right: Array.from({ length: nodes }, (_, i) => (2 * i + 2 < nodes ? 2 * i + 2 : -1)),
        value: Array.from({ length: nodes * 3 }, (_, i) => ((i * 13 + t) % 17) / 17),
      });
      const model = { format: "studio-model", state: { trees: [tree(0), tree(1)] }, features: ["a", "b"] };
      const { hash, size } = store.putJson(model);
      expect(size).toBeLessThan(JSON.stringify(model).length / 2);
      expect(store.readJson(hash)).toEqual(model);
      // Same content, same bytes, same hash: the cache keeps working.
      expect(store.putJson(jsonRoundTrip(model)).hash).toBe(hash);
    });

    it("still reads artifacts written as plain JSON", () => {
      const store = new ArtifactStore(dir);
      const v = { old: Array.from({ length: 3000 }, (_, i) => i) };
      const { hash } = store.put(Buffer.from(JSON.stringify(v)));
      expect(store.readJson(hash)).toEqual(v);
    });
  });
});
