import { describe, it, expect } from "vitest";
import { createRequire } from "node:module";
import {
  chooseTfBackend,
  cudaDevicesVisible,
  defaultTfCandidates,
  selectTfBackend,
  type Tf,
  type TfBackendCandidate,
  type TfBackendName,
} from "./tf-backend";

/** A fake loader that records calls and either fails or returns a marker object. */
function fake(backend: TfBackendName, ok: boolean, calls: string[]): TfBackendCandidate {
  return {
    backend,
    load: async () => {
      calls.push(backend);
      if (!ok) throw new Error(`${backend} missing`);
      return { marker: backend } as unknown as Tf;
    },
  };
}

describe("chooseTfBackend fallback order", () => {
  it("takes the first candidate that loads and records why the better ones were skipped", async () => {
    const calls: string[] = [];
    const cands = [fake("tensorflow-gpu", false, calls), fake("tensorflow", false, calls), fake("wasm", true, calls), fake("cpu", true, calls)];
    const sel = await chooseTfBackend(cands, undefined, {});
    expect(sel.backend).toBe("wasm");
    expect((sel.tf as unknown as { marker: string }).marker).toBe("wasm");
    expect(calls).toEqual(["tensorflow-gpu", "tensorflow", "wasm"]); // cpu never touched
    expect(sel.tried).toEqual([
      { backend: "tensorflow-gpu", error: "tensorflow-gpu missing" },
      { backend: "tensorflow", error: "tensorflow missing" },
    ]);
  });

  it("uses the best backend when it loads", async () => {
    const calls: string[] = [];
    const sel = await chooseTfBackend([fake("tensorflow-gpu", true, calls), fake("cpu", true, calls)], undefined, {});
    expect(sel.backend).toBe("tensorflow-gpu");
    expect(sel.tried).toEqual([]);
  });

  it("follows a preference list", async () => {
    const calls: string[] = [];
    const cands = [fake("tensorflow", true, calls), fake("wasm", true, calls), fake("cpu", true, calls)];
    const sel = await chooseTfBackend(cands, ["cpu", "wasm"], {});
    expect(sel.backend).toBe("cpu");
    expect(calls).toEqual(["cpu"]);
    await expect(chooseTfBackend(cands, ["webgl"], {})).rejects.toThrow(/preferred backend is "webgl"; expected one of/);
  });

  it("STUDIO_TF_BACKEND forces one backend and fails loudly instead of falling back", async () => {
    const calls: string[] = [];
    const cands = [fake("tensorflow", false, calls), fake("wasm", true, calls), fake("cpu", true, calls)];
    const sel = await chooseTfBackend(cands, ["wasm"], { STUDIO_TF_BACKEND: "cpu" });
    expect(sel.backend).toBe("cpu");
    await expect(chooseTfBackend(cands, undefined, { STUDIO_TF_BACKEND: "tensorflow" })).rejects.toThrow(
      /STUDIO_TF_BACKEND=tensorflow is not available \(tensorflow: tensorflow missing\)/,
    );
    await expect(chooseTfBackend(cands, undefined, { STUDIO_TF_BACKEND: "gpu" })).rejects.toThrow(/expected one of/);
  });

  it("reports every reason when nothing loads", async () => {
    const calls: string[] = [];
    await expect(chooseTfBackend([fake("wasm", false, calls), fake("cpu", false, calls)], ["wasm", "cpu"], {})).rejects.toThrow(
      /no TensorFlow.js backend could be loaded \(wasm: wasm missing; cpu: cpu missing\)/,
    );
  });
});

describe("GPU gating on CUDA_VISIBLE_DEVICES", () => {
  it("treats unset, empty and -1 as no GPU", () => {
    expect(cudaDevicesVisible({})).toBe(false);
    expect(cudaDevicesVisible({ CUDA_VISIBLE_DEVICES: "" })).toBe(false);
    expect(cudaDevicesVisible({ CUDA_VISIBLE_DEVICES: "-1" })).toBe(false);
    expect(cudaDevicesVisible({ CUDA_VISIBLE_DEVICES: "0" })).toBe(true);
    expect(cudaDevicesVisible({ CUDA_VISIBLE_DEVICES: "1,2" })).toBe(true);
  });

  it("skips the GPU package without a GPU and reports a missing native package plainly", async () => {
    const [gpuNoDevice] = defaultTfCandidates({ CUDA_VISIBLE_DEVICES: "-1" });
    await expect(gpuNoDevice!.load()).rejects.toThrow(/skipped: CUDA_VISIBLE_DEVICES is "-1"/);
    // The native packages are optional (they download libtensorflow at install time) and absent from
    // this repository's dependencies; a developer who installed one gets the success branch instead.
    const [gpu, native] = defaultTfCandidates({ CUDA_VISIBLE_DEVICES: "0" });
    const installed = (name: string) => {
      try {
        createRequire(import.meta.url).resolve(name);
        return true;
      } catch {
        return false;
      }
    };
    if (!installed("@tensorflow/tfjs-node-gpu")) {
      await expect(gpu!.load()).rejects.toThrow(/^@tensorflow\/tfjs-node-gpu is not installed$/);
    }
    if (!installed("@tensorflow/tfjs-node")) {
      await expect(native!.load()).rejects.toThrow(/^@tensorflow\/tfjs-node is not installed$/);
    } else {
      expect((await native!.load()).getBackend()).toBe("tensorflow");
    }
  });
});

describe("selectTfBackend with the real packages", () => {
  it("falls back to wasm here, offline, and memoises the choice", async () => {
    const env = { ...process.env };
    delete env.STUDIO_TF_BACKEND;
    const direct = await selectTfBackend(undefined, { env });
    expect(direct.backend).toBe("wasm");
    expect(direct.tried.map((t) => t.backend)).toEqual(["tensorflow-gpu", "tensorflow"]);
    expect(direct.tf.getBackend()).toBe("wasm");
    const y = direct.tf.tidy(() => direct.tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0]);
    expect(y).toBe(14); // 1 + 4 + 9

    if (process.env.STUDIO_TF_BACKEND) return; // the memoised path reads the real env
    const a = selectTfBackend();
    const b = selectTfBackend(["cpu"]);
    expect(b).toBe(a); // same promise: the first call decides for the process
    expect((await a).backend).toBe("wasm");
  });

  it("can force the cpu backend", async () => {
    const sel = await selectTfBackend(undefined, { env: { STUDIO_TF_BACKEND: "cpu" } });
    expect(sel.backend).toBe("cpu");
    expect(sel.tf.getBackend()).toBe("cpu");
  });
});
