import { describe, expect, it } from "vitest";
import { cacheKey, canonicalJson, explainKeyChange, type CacheKeyParts } from "./cache-key";

const base: CacheKeyParts = {
  stage: "train",
  stageVersion: 1,
  params: { C: 1, target: "churn" },
  inputs: { train: "a".repeat(64) },
  files: {},
};

describe("cache keys", () => {
  it("do not depend on the order of keys", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(cacheKey({ ...base, params: { target: "churn", C: 1 } })).toBe(cacheKey(base));
  });

  it("change with the stage version, any param, any input and any external file", () => {
    const key = cacheKey(base);
    expect(cacheKey({ ...base, stageVersion: 2 })).not.toBe(key);
    expect(cacheKey({ ...base, params: { ...base.params, C: 0.5 } })).not.toBe(key);
    expect(cacheKey({ ...base, inputs: { train: "b".repeat(64) } })).not.toBe(key);
    expect(cacheKey({ ...base, files: { "x.csv": "x.csv:10:1" } })).not.toBe(key);
  });

  it("explain what changed since the previous run", () => {
    expect(explainKeyChange(null, base)).toEqual(["first run of this node"]);
    expect(explainKeyChange(base, base)).toEqual([]);
    expect(
      explainKeyChange(base, {
        ...base,
        stageVersion: 2,
        params: { C: 0.5, target: "churn" },
        inputs: { train: "b".repeat(64), test: "c".repeat(64) },
        files: { "data.csv": "changed" },
      }),
    ).toEqual([
      "stage version changed (v1 → v2)",
      'param "C" changed (1 → 0.5)',
      'input "test" was connected',
      'input "train" changed',
      "file data.csv changed",
    ]);
  });
});
