/**
 * glibc malloc thresholds for processes that handle large arrays: the stage workers, and both sides
 * of the ML benchmark.
 *
 * glibc serves a block above its mmap threshold (128 KB at start) with fresh pages, and hands the
 * heap's top back to the OS once it passes the trim threshold. Both thresholds rise only after the
 * process frees a large mapped block, up to 32 MB and 64 MB. Until that happens, every array of a
 * few MB is fresh memory whose pages fault on first write, and on a VM a fault costs microseconds.
 * Measured on 250k rows (2 cores): onnxruntime's prediction with its 2 MB label output took 9 ms
 * instead of 3 ms, and scikit-learn's predict 24 ms instead of 4 ms, depending only on what each
 * process had freed before. Starting at glibc's own upper values makes that deterministic.
 */
export const MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864";

/** `env` with the thresholds above, unless it already sets GLIBC_TUNABLES (the operator's choice wins). */
export function withMallocTuning<T extends Record<string, string | undefined>>(env: T): T & { GLIBC_TUNABLES: string } {
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES || MALLOC_TUNABLES };
}
