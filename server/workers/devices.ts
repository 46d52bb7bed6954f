import { execFile } from "node:child_process";
import { withMallocTuning } from "./malloc-tuning";

export type Device = { kind: "cpu" } | { kind: "gpu"; index: number; name?: string };

export function deviceLabel(device: Device): string {
  return device.kind === "gpu" ? `GPU ${device.index}` : "CPU";
}

/**
 * GPUs this process may use. CUDA_VISIBLE_DEVICES, when set, is the user's explicit choice ("" or
 * "-1" hides all GPUs); otherwise we ask nvidia-smi, and a machine without it simply has none.
 */
export async function detectGpus(env: Record<string, string | undefined> = process.env): Promise<Device[]> {
  const visible = env.CUDA_VISIBLE_DEVICES;
  if (visible !== undefined) {
    const ids = visible
      .split(",")
      .map((s) => s.trim())
      .filter((s) => /^\d+$/.test(s));
    if (visible.trim() === "" || visible.trim() === "-1") return [];
    if (ids.length) return ids.map((id) => ({ kind: "gpu", index: Number(id) }));
  }
  const listed = await new Promise<string | null>((resolve) => {
    execFile(
      "nvidia-smi",
      ["--query-gpu=index,name", "--format=csv,noheader"],
      { timeout: 5000, env: env as NodeJS.ProcessEnv },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
  if (!listed) return [];
  return listed
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [index, ...name] = line.split(",");
      return { kind: "gpu" as const, index: Number(index.trim()), name: name.join(",").trim() };
    })
    .filter((d) => Number.isInteger(d.index));
}

/** One worker per GPU first (each bound to its GPU), the rest of the pool on the CPU. */
export function assignDevices(poolSize: number, gpus: Device[]): Device[] {
  const devices: Device[] = gpus.slice(0, poolSize);
  while (devices.length < poolSize) devices.push({ kind: "cpu" });
  return devices;
}

/** The environment a worker bound to `device` starts with. */
export function workerEnv(device: Device, base: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  return {
    ...withMallocTuning(base),
    // A CPU worker must not see GPUs, or a GPU build of TensorFlow would grab them all.
    CUDA_VISIBLE_DEVICES: device.kind === "gpu" ? String(device.index) : "",
    STUDIO_WORKER_DEVICE: device.kind === "gpu" ? `gpu:${device.index}` : "cpu",
  };
}
