/**
 * Picks the TensorFlow.js backend for this process, best first (docs/ARCHITECTURE.md section 4):
 * tfjs-node-gpu (CUDA) -> tfjs-node -> tfjs-backend-wasm -> cpu. The native packages download
 * libtensorflow at install time and are optional, so their absence is normal and is only recorded in
 * `tried` for diagnostics. `STUDIO_TF_BACKEND` forces one backend and then fails loudly instead of
 * falling back, because an operator who forces a backend wants to know when it is not there.
 */
import { createRequire } from "node:module";
import path from "node:path";

export type Tf = typeof import("@tensorflow/tfjs");
export type TfBackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export const TF_BACKEND_ORDER: readonly TfBackendName[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

export interface TfBackendCandidate {
  backend: TfBackendName;
  /** Resolves to a tf namespace with this backend active, or rejects with the reason it is unavailable. */
  load: () => Promise<Tf>;
}

export interface TfBackendSelection {
  tf: Tf;
  backend: TfBackendName;
  /** Candidates that were tried before the chosen one, with why each was passed over. */
  tried: { backend: TfBackendName; error: string }[];
}

export interface SelectTfBackendOptions {
  /** Replaces the real loaders (tests prove the fallback order with fakes). */
  candidates?: TfBackendCandidate[];
  /** Defaults to process.env; read for STUDIO_TF_BACKEND and CUDA_VISIBLE_DEVICES. */
  env?: Record<string, string | undefined>;
}

/** Import specifiers kept in variables so bundlers and tsc do not require the optional packages to exist. */
const TFJS_NODE_GPU = "@tensorflow/tfjs-node-gpu";
const TFJS_NODE = "@tensorflow/tfjs-node";

/** True when CUDA_VISIBLE_DEVICES names at least one GPU ("0", "0,1", a GPU UUID); "" and "-1" hide all GPUs. */
export function cudaDevicesVisible(env: Record<string, string | undefined>): boolean {
  const v = env.CUDA_VISIBLE_DEVICES?.trim();
  return v !== undefined && v !== "" && v !== "-1";
}

export function defaultTfCandidates(env: Record<string, string | undefined> = process.env): TfBackendCandidate[] {
  return [
    {
      backend: "tensorflow-gpu",
      load: async () => {
        if (!cudaDevicesVisible(env)) {
          throw new Error(
            `skipped: CUDA_VISIBLE_DEVICES is ${env.CUDA_VISIBLE_DEVICES === undefined ? "unset" : JSON.stringify(env.CUDA_VISIBLE_DEVICES)}, so no GPU is assigned to this worker`,
          );
        }
        return activate(await importOptional(TFJS_NODE_GPU), "tensorflow");
      },
    },
    { backend: "tensorflow", load: async () => activate(await importOptional(TFJS_NODE), "tensorflow") },
    {
      backend: "wasm",
      load: async () => {
        const tf = await import("@tensorflow/tfjs");
        const wasm = await import("@tensorflow/tfjs-backend-wasm");
        // The .wasm binaries ship inside the package; pointing at its dist folder keeps this offline
        // (the default would fetch them relative to a page URL, which does not exist in Node).
        const require = createRequire(import.meta.url);
        const distDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep;
        wasm.setWasmPaths(distDir);
        return activate(tf, "wasm");
      },
    },
    {
      backend: "cpu",
      load: async () => {
        const tf = await activate(await import("@tensorflow/tfjs"), "cpu");
        // The cpu backend prints an "install tfjs-node" banner on first use; `tried` already records why
        // the native backends were passed over, and the banner would land in every run's log.
        const backend = tf.backend() as unknown as { firstUse?: boolean };
        if (backend.firstUse === true) backend.firstUse = false;
        return tf;
      },
    },
  ];
}

async function importOptional(specifier: string): Promise<Tf> {
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as Tf & { default?: Tf };
    // CommonJS packages imported from ESM may expose the namespace under `default` only.
    return typeof mod.setBackend === "function" ? mod : (mod.default as Tf);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    // Only the package itself missing is the normal case; a missing file *inside* it (e.g. the native
    // binding after a failed install script) is a broken install and keeps its original message.
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${specifier}'`)) {
      throw new Error(`${specifier} is not installed`);
    }
    throw e;
  }
}

async function activate(tf: Tf, tfName: string): Promise<Tf> {
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend("${tfName}") failed to initialise`);
  await tf.ready();
  return tf;
}

function parseBackendName(value: string, source: string): TfBackendName {
  if ((TF_BACKEND_ORDER as readonly string[]).includes(value)) return value as TfBackendName;
  throw new Error(`${source} is ${JSON.stringify(value)}; expected one of ${TF_BACKEND_ORDER.join(", ")}`);
}

/**
 * Tries candidates in order (filtered and reordered by `prefer`, or only the one forced by
 * STUDIO_TF_BACKEND) and returns the first that loads. Not memoised: see selectTfBackend.
 */
export async function chooseTfBackend(
  candidates: TfBackendCandidate[],
  prefer?: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<TfBackendSelection> {
  const forcedRaw = env.STUDIO_TF_BACKEND?.trim();
  const forced = forcedRaw ? parseBackendName(forcedRaw, "STUDIO_TF_BACKEND") : undefined;
  const order: TfBackendName[] = forced
    ? [forced]
    : prefer
      ? prefer.map((p) => parseBackendName(p, `preferred backend`))
      : [...TF_BACKEND_ORDER];
  const tried: TfBackendSelection["tried"] = [];
  for (const name of order) {
    const candidate = candidates.find((c) => c.backend === name);
    if (!candidate) {
      tried.push({ backend: name, error: "no loader for this backend" });
      continue;
    }
    try {
      return { tf: await candidate.load(), backend: name, tried };
    } catch (e) {
      tried.push({ backend: name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const reasons = tried.map((t) => `${t.backend}: ${t.error}`).join("; ");
  if (forced) {
    throw new Error(`STUDIO_TF_BACKEND=${forced} is not available (${reasons}); unset it to fall back automatically`);
  }
  throw new Error(`no TensorFlow.js backend could be loaded (${reasons})`);
}

let memo: Promise<TfBackendSelection> | null = null;

/**
 * The process-wide backend. tf's active backend is global state, so the first call decides and later
 * calls get the same selection (their `prefer` is ignored). Passing `options` bypasses the memo, for
 * tests and diagnostics.
 */
export function selectTfBackend(prefer?: readonly string[], options?: SelectTfBackendOptions): Promise<TfBackendSelection> {
  if (options) {
    const env = options.env ?? process.env;
    return chooseTfBackend(options.candidates ?? defaultTfCandidates(env), prefer, env);
  }
  if (!memo) {
    memo = chooseTfBackend(defaultTfCandidates(process.env), prefer, process.env);
    // A failed selection (e.g. a forced backend missing) must not poison later attempts after a fix.
    memo.catch(() => (memo = null));
  }
  return memo;
}

/** Forgets the memoised selection (tests only; does not switch tf's active backend back). */
export function resetTfBackendSelection(): void {
  memo = null;
}
