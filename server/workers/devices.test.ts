import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assignDevices, detectGpus, workerEnv } from "./devices";
import { MALLOC_TUNABLES } from "./malloc-tuning";
import { doc, startTestStudio, type TestStudio } from "../engine/engine-harness";

/** A stand-in for nvidia-smi on PATH that lists two GPUs, as the real one prints them. */
function fakeNvidiaSmi(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-nvidia-"));
  const script = path.join(dir, "nvidia-smi");
  writeFileSync(script, '#!/bin/sh\nprintf "0, NVIDIA H100 80GB HBM3\\n1, NVIDIA H100 80GB HBM3\\n"\n');
  chmodSync(script, 0o755);
  return dir;
}

describe("device detection", () => {
  it("reads GPUs from nvidia-smi when CUDA_VISIBLE_DEVICES is unset", async () => {
    const env = { PATH: `${fakeNvidiaSmi()}${path.delimiter}${process.env.PATH}` };
    expect(await detectGpus(env)).toEqual([
      { kind: "gpu", index: 0, name: "NVIDIA H100 80GB HBM3" },
      { kind: "gpu", index: 1, name: "NVIDIA H100 80GB HBM3" },
    ]);
  });

  it("honours CUDA_VISIBLE_DEVICES, including an empty value that hides all GPUs", async () => {
    const PATH = `${fakeNvidiaSmi()}${path.delimiter}${process.env.PATH}`;
    expect(await detectGpus({ PATH, CUDA_VISIBLE_DEVICES: "1" })).toEqual([{ kind: "gpu", index: 1 }]);
    expect(await detectGpus({ PATH, CUDA_VISIBLE_DEVICES: "" })).toEqual([]);
    expect(await detectGpus({ PATH, CUDA_VISIBLE_DEVICES: "-1" })).toEqual([]);
  });

  it("finds no GPU on a machine without nvidia-smi", async () => {
    expect(await detectGpus({ PATH: mkdtempSync(path.join(tmpdir(), "empty-path-")) })).toEqual([]);
  });

  it("binds one worker per GPU and the rest to the CPU", () => {
    const gpus = [{ kind: "gpu" as const, index: 0 }, { kind: "gpu" as const, index: 1 }];
    expect(assignDevices(3, gpus)).toEqual([...gpus, { kind: "cpu" }]);
    expect(assignDevices(1, gpus)).toEqual([gpus[0]]);
    expect(workerEnv({ kind: "gpu", index: 1 }, {}).CUDA_VISIBLE_DEVICES).toBe("1");
    expect(workerEnv({ kind: "cpu" }, {}).CUDA_VISIBLE_DEVICES).toBe("");
  });

  it("starts workers with glibc's malloc thresholds at their upper values, unless GLIBC_TUNABLES is set", () => {
    expect(workerEnv({ kind: "cpu" }, {}).GLIBC_TUNABLES).toBe(MALLOC_TUNABLES);
    expect(MALLOC_TUNABLES).toBe("glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864");
    expect(workerEnv({ kind: "cpu" }, { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }).GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=2");
  });
});

describe("GPU scheduling through real workers", () => {
  let t: TestStudio;
  const saved = { PATH: process.env.PATH, CUDA: process.env.CUDA_VISIBLE_DEVICES };
  beforeAll(async () => {
    process.env.PATH = `${fakeNvidiaSmi()}${path.delimiter}${process.env.PATH}`;
    delete process.env.CUDA_VISIBLE_DEVICES;
    t = await startTestStudio({ workers: 3 });
  });
  afterAll(async () => {
    await t.stop();
    process.env.PATH = saved.PATH;
    if (saved.CUDA !== undefined) process.env.CUDA_VISIBLE_DEVICES = saved.CUDA;
  });

  it("runs GPU-preferring stages on GPU workers bound by CUDA_VISIBLE_DEVICES, CPU stages on the CPU worker", async () => {
    expect(t.studio.pool.devices).toEqual([
      { kind: "gpu", index: 0, name: "NVIDIA H100 80GB HBM3" },
      { kind: "gpu", index: 1, name: "NVIDIA H100 80GB HBM3" },
      { kind: "cpu" },
    ]);
    const { versionId } = t.save(
      doc([
        { id: "g1", stage: "test-gpu", params: { tag: "1" } },
        { id: "g2", stage: "test-gpu", params: { tag: "2" } },
        { id: "g3", stage: "test-gpu", params: { tag: "3" } },
        { id: "c1", stage: "test-value", params: { value: 1 } },
        { id: "c2", stage: "test-gpu", params: { tag: "4", want: "cpu" } },
      ]),
    );
    const { run, nodes } = await t.run(versionId);
    expect(run.status).toBe("succeeded");
    for (const id of ["g1", "g2", "g3"]) {
      expect(nodes[id].device).toMatch(/^GPU [01]$/);
      const report = t.studio.store.readJson<{ device: string; cuda: string }>(nodes[id].outputs!.out.hash);
      // The worker sees exactly its own GPU, the one the node reports.
      expect(`GPU ${report.cuda}`).toBe(nodes[id].device);
      expect(nodes[id].backend).toBe(report.device);
    }
    expect(nodes.c1.device).toBe("CPU");
    // The same stage asks for the CPU when its params say so (Train with a forest, not an MLP).
    expect(nodes.c2.device).toBe("CPU");
  });
});
