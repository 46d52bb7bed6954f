/**
 * The modules that run on kernel threads (worker-threads.ts serveOnKernelThread): one place for
 * the fits that start them and for the model specs that name them, so Train can start a model's
 * threads ahead of its fit (ModelSpec.kernelThreads).
 */
export const KERNELS = {
  logisticRegression: new URL("./logistic-worker.ts", import.meta.url),
  histogramBoosting: new URL("./trees/hgb-worker.ts", import.meta.url),
} as const;
