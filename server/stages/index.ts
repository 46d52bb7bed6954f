/**
 * Importing this module registers every stage. Stage modules only import heavy libraries
 * (TensorFlow.js, onnxruntime) inside `run`, so the web server can load the catalog cheaply.
 */
import { registerStage } from "./registry";

const stages: Parameters<typeof registerStage>[0][] = [
  // stage modules are added here, e.g. loadCsv,
];

for (const stage of stages) registerStage(stage);

export { getStage, listStages, catalog, stageInfo } from "./registry";
