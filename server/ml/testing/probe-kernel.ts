/**
 * A kernel-thread job for the tests of worker-threads.ts: writes its thread id and a value into
 * shared memory, or throws when asked to.
 */
import { threadId } from "node:worker_threads";

export function serve(data: { out: SharedArrayBuffer; value: number; fail?: boolean }): void {
  if (data.fail) throw new Error("the probe kernel was asked to fail");
  const out = new Int32Array(data.out);
  out[0] = threadId;
  out[1] = data.value;
}
