// Worker-thread entry that loads a TypeScript module (a file URL) in any host: a `node --import
// tsx` process (workers inherit the tsx hooks), vitest (vite transforms the host's modules but not
// a worker's), or plain node. Only when the .ts import fails for want of a loader is tsx
// registered here, so a host that already has tsx does not get it twice.
//
// Two modes. A one-off worker (workerData.entry) imports its entry, which runs at top level. A
// kernel thread (workerData.kernelThread) is kept between jobs (worker-threads.ts): each message
// { entry, data } imports the entry once and calls its serve(data), then reports back; a message
// without data only imports the entry, then reports it loaded (or failed to: the job will say why).
import { parentPort, workerData } from "node:worker_threads";

const modules = new Map();
function load(entry) {
  let module = modules.get(entry);
  if (!module) {
    module = import(entry).catch(async (error) => {
      if (error?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
      const { register } = await import("tsx/esm/api");
      register();
      // A failed import stays cached under its URL, so load it under a fresh one.
      return import(`${entry}?tsx`);
    });
    modules.set(entry, module);
  }
  return module;
}

if (workerData?.kernelThread) {
  parentPort.on("message", async ({ entry, data }) => {
    // Without data, only load the module (a thread started ahead of its first job) and say so.
    if (data === undefined) {
      const loaded = () => parentPort.postMessage({ type: "loaded", entry });
      return void load(entry).then(loaded, loaded);
    }
    try {
      (await load(entry)).serve(data);
      parentPort.postMessage({ type: "done" });
    } catch (error) {
      parentPort.postMessage({ type: "failed", message: error?.stack ?? String(error) });
    }
  });
} else {
  await load(workerData.entry);
}
