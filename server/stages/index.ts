/**
 * Importing this module registers every stage. Stage modules only import heavy libraries
 * (TensorFlow.js, onnxruntime) inside `run`, so the web server can load the catalog cheaply.
 */
import { registerStage } from "./registry";
import { loadCsv } from "./ingest/load-csv";
import { loadImages } from "./ingest/load-images";
import { validate } from "./quality/validate";
import { clean } from "./transform/clean";
import { split } from "./transform/split";
import { encodeScale } from "./transform/encode-scale";
import { train } from "./model/train";
import { evaluate } from "./model/evaluate";
import { predict } from "./model/predict";
import { vectorizeText } from "./transform/vectorize-text";
import { crossValidate } from "./model/cross-validate";
import { tune } from "./model/tune";
import { exportOnnx } from "./model/export-onnx";
import { importOnnx } from "./model/import-onnx";

const stages: Parameters<typeof registerStage>[0][] = [loadCsv, validate, clean, split, encodeScale, train, evaluate, predict];

stages.push(vectorizeText, tune, crossValidate);
stages.push(exportOnnx, importOnnx);
stages.push(loadImages);

for (const stage of stages) registerStage(stage);

export { getStage, listStages, catalog, stageInfo } from "./registry";
