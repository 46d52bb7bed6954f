import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module without types (scripts/ runs under node, not tsc).
import { compileKernel, KERNEL_SOURCES, wasmPath } from "../../../scripts/kernels.mjs";
import { HgbMemory, boostingLoops } from "./hgb-memory";

describe("the WebAssembly loops of gradient boosting", () => {
  it("are the build of their AssemblyScript source (npm run build:kernels)", async () => {
    for (const source of KERNEL_SOURCES as string[]) {
      const built = (await compileKernel(source)) as Uint8Array;
      expect(Buffer.from(readFileSync(wasmPath(source))).equals(Buffer.from(built)), `${source}: run npm run build:kernels`).toBe(true);
    }
  }, 60_000);

  it("sum gradients, hessians and counts per bin of two features and one", () => {
    // 5 rows x 5 features, column-major codes; the node holds rows 4, 1 and 3.
    const n = 5;
    const codes = [
      [0, 1, 0, 2, 1],
      [2, 2, 2, 0, 0],
      [1, 0, 1, 1, 0],
      [0, 0, 0, 0, 0],
      [1, 1, 0, 0, 1],
    ];
    const grad = [0.5, -1.25, 2, 0.25, -3];
    const hess = [0.1, 0.2, 0.3, 0.4, 0.5];
    const memory = new HgbMemory(1024);
    const at = { codes: memory.alloc(25), idx: memory.alloc(12), grad: memory.alloc(20), hess: memory.alloc(20), out: memory.alloc(5 * 3 * 3 * 8) };
    new Uint8Array(memory.buffer, at.codes, 25).set(codes.flat());
    new Int32Array(memory.buffer, at.idx, 3).set([4, 1, 3]);
    new Float32Array(memory.buffer, at.grad, 5).set(grad);
    new Float32Array(memory.buffer, at.hess, 5).set(hess);
    const out = new Float64Array(memory.buffer, at.out, 45);
    const loops = boostingLoops(memory.memory);
    // Three bins per feature: feature f's bins start at element 9f.
    loops.node2(at.codes, n, 0, at.idx, 0, 3, at.grad, at.hess, at.out, 0, 9);
    loops.node2(at.codes, n, 2, at.idx, 0, 3, at.grad, at.hess, at.out, 18, 27);
    loops.one(at.codes, n, 4, at.idx, 0, 3, at.grad, at.hess, at.out, 36, 1, 1);
    const f32 = (v: number) => Math.fround(v);
    const expected = new Float64Array(45);
    for (const r of [4, 1, 3]) {
      for (let f = 0; f < 5; f++) {
        const p = 9 * f + 3 * codes[f]![r]!;
        expected[p] += f32(grad[r]!);
        expected[p + 1] += f32(hess[r]!);
        expected[p + 2] += 1;
      }
    }
    expect(Array.from(out)).toEqual(Array.from(expected));
    // Feature 0 of the node: bin 0 is empty, bin 1 holds rows 4 and 1 (in that order), bin 2 row 3.
    expect(Array.from(out.subarray(0, 9))).toEqual([0, 0, 0, -3 + -1.25, f32(0.5) + f32(0.2), 2, 0.25, f32(0.4), 1]);

    out.fill(0);
    loops.root2NoHessians(at.codes, n, 1, at.grad, at.out, 9, 18);
    loops.root2NoHessians(at.codes, n, 3, at.grad, at.out, 27, 36);
    loops.countRows(at.codes, n, 1, at.out, 9);
    // Feature 1 over every row: bin 0 has rows 3 and 4, bin 2 rows 0, 1, 2; no hessian sums.
    expect(Array.from(out.subarray(9, 18))).toEqual([f32(0.25) + f32(-3), 0, 2, 0, 0, 0, 0.5 + -1.25 + 2, 0, 3]);
  });

  it("compute softmax and logistic gradients and hessians as float32", () => {
    const memory = new HgbMemory(1024);
    const loops = boostingLoops(memory.memory);
    // Two rows, three classes: equal scores give p = 1/3; scores (ln 2, 0, 0) give p = (1/2, 1/4, 1/4).
    const raw = memory.alloc(6 * 8);
    new Float64Array(memory.buffer, raw, 6).set([5, Math.LN2, 5, 0, 5, 0]);
    const y = memory.alloc(8);
    new Int32Array(memory.buffer, y, 2).set([2, 0]);
    const grad = memory.alloc(6 * 4);
    const hess = memory.alloc(6 * 4);
    loops.classGradients(raw, y, 2, 0, 2, 3, grad, hess, memory.alloc(3 * 8));
    const f32 = Math.fround;
    const third = 1 / 3;
    expect(Array.from(new Float32Array(memory.buffer, grad, 6))).toEqual([third, 0.5 - 1, third, 0.25, third - 1, 0.25].map(f32));
    expect(Array.from(new Float32Array(memory.buffer, hess, 6))).toEqual([third * (1 - third), 0.25, third * (1 - third), 0.1875, third * (1 - third), 0.1875].map(f32));
    // Two classes, one score per row: p = sigmoid(0) = 1/2.
    new Float64Array(memory.buffer, raw, 2).set([0, 0]);
    new Int32Array(memory.buffer, y, 2).set([1, 0]);
    loops.classGradients(raw, y, 2, 0, 2, 1, grad, hess, 0);
    expect(Array.from(new Float32Array(memory.buffer, grad, 2))).toEqual([-0.5, 0.5]);
    expect(Array.from(new Float32Array(memory.buffer, hess, 2))).toEqual([0.25, 0.25]);
  });

  it("keep their own data (exp's tables) in the first page, which the fit's memory leaves free", () => {
    const memory = new HgbMemory(1024);
    const at = memory.alloc(4096);
    expect(at).toBeGreaterThanOrEqual(65_536);
    const mine = new Uint8Array(memory.buffer, at, 4096).fill(0xab);
    // Every thread instantiates the loops over the same memory, which writes their data segments.
    boostingLoops(memory.memory);
    boostingLoops(memory.memory);
    expect(mine.every((b) => b === 0xab)).toBe(true);
  });

  it("reports a fit too large for WebAssembly's 4 GiB as bad input", () => {
    const memory = new HgbMemory(0);
    expect(() => memory.alloc(5 * 2 ** 30)).toThrow(/more than 4 GiB/);
  });
});
