import path from "node:path";
import { pathToFileURL } from "node:url";
import { getStage, registerStage } from "./registry";
import type { StageDefinition } from "./types";

/**
 * Loads extra stage modules named in STUDIO_STAGE_MODULES (paths separated by the platform's
 * delimiter). Each module's default export is an array of stage definitions. The studio and its
 * workers load the same list, so a plugin stage validates, caches and runs like a built-in one.
 */
export async function loadStagePlugins(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const modules = (env.STUDIO_STAGE_MODULES ?? "").split(path.delimiter).filter(Boolean);
  const loaded: string[] = [];
  for (const file of modules) {
    const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: StageDefinition<any>[] };
    if (!Array.isArray(mod.default)) throw new Error(`Stage module ${file} must export an array of stages as default.`);
    for (const stage of mod.default) {
      if (!getStage(stage.id)) registerStage(stage);
      loaded.push(stage.id);
    }
  }
  return loaded;
}
