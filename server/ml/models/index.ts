export * from "./types";
export * from "./registry";
export type { StudioMlpState } from "./mlp";
export { fitModel, constantColumns } from "./fit";
