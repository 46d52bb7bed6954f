// Worker-thread entry that loads a TypeScript module (workerData.entry, a file URL) in any host:
// a `node --import tsx` process (workers inherit the tsx hooks), vitest (vite transforms the
// host's modules but not a worker's), or plain node. Only when the .ts import fails for want
// of a loader is tsx registered here, so a host that already has tsx does not get it twice.
import { workerData } from "node:worker_threads";

const entry = workerData.entry;
try {
  await import(entry);
} catch (error) {
  if (error?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
  const { register } = await import("tsx/esm/api");
  register();
  // A failed import stays cached under its URL, so load it under a fresh one.
  await import(`${entry}?tsx`);
}
