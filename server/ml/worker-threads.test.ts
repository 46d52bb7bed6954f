import { describe, expect, it } from "vitest";
import { idleKernelThreadCount, prestartKernelThreads, serveOnKernelThread } from "./worker-threads";

const PROBE = new URL("./testing/probe-kernel.ts", import.meta.url);

async function probe(value: number): Promise<{ thread: number; value: number }> {
  const out = new Int32Array(new SharedArrayBuffer(8));
  await serveOnKernelThread(PROBE, { out: out.buffer, value });
  return { thread: out[0]!, value: out[1]! };
}

describe("kernel threads", () => {
  it("run a job's serve(data) and keep the thread for the next job", async () => {
    const first = await probe(7);
    expect(first.value).toBe(7);
    expect(first.thread).toBeGreaterThan(0);
    expect(idleKernelThreadCount()).toBeGreaterThanOrEqual(1);
    const second = await probe(8);
    expect(second).toEqual({ thread: first.thread, value: 8 });
  });

  it("report a job that throws, and end that thread rather than reuse it", async () => {
    const before = await probe(1);
    const out = new Int32Array(new SharedArrayBuffer(8));
    await expect(serveOnKernelThread(PROBE, { out: out.buffer, value: 2, fail: true })).rejects.toThrow("the probe kernel was asked to fail");
    const after = await probe(3);
    expect(after.value).toBe(3);
    expect(after.thread).not.toBe(before.thread);
  });

  it("report a module that cannot be loaded, naming it", async () => {
    const missing = new URL("./testing/no-such-kernel.ts", import.meta.url);
    // Starting ahead settles all the same: the job is where the error is reported.
    await prestartKernelThreads(1, [missing]);
    await expect(serveOnKernelThread(missing, { value: 1 })).rejects.toThrow("no-such-kernel");
    expect((await probe(4)).value).toBe(4);
  });

  it("start ahead of a job, up to a count, and serve the next job without starting another", async () => {
    const idle = idleKernelThreadCount();
    const up = prestartKernelThreads(idle + 2, [PROBE]);
    expect(idleKernelThreadCount()).toBe(idle + 2);
    await up;
    await prestartKernelThreads(idle + 2, [PROBE]);
    expect(idleKernelThreadCount()).toBe(idle + 2);
    expect((await probe(5)).value).toBe(5);
    expect(idleKernelThreadCount()).toBe(idle + 2);
  });
});
