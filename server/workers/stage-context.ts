import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ArtifactKind, ArtifactRef } from "../artifacts/types";
import { ArtifactStore } from "../artifacts/store";
import { summarizeTable, tableFromArrow, tableToArrow, type DataTable } from "../artifacts/table";
import { listFolderFiles, resolveUserPath, UserPathError } from "../files";
import type { StageContext, StageDefinition } from "../stages/types";
import { StageError } from "../stages/types";

export type StageEvent =
  | { type: "progress"; fraction: number; message?: string }
  | { type: "log"; level: "info" | "warn"; message: string }
  | { type: "backend"; name: string };

export interface StageContextOptions {
  store: ArtifactStore;
  stage: StageDefinition;
  params: unknown;
  inputs: Record<string, ArtifactRef>;
  nodeId: string;
  fileRoots: string[];
  device?: StageContext<unknown>["device"];
  signal?: AbortSignal;
  emit?: (event: StageEvent) => void;
}

/** Builds the context a stage runs with, over a real artifact store. Used by workers and tests. */
export function createStageContext(options: StageContextOptions): StageContext<any> {
  const { store, stage, inputs, nodeId } = options;
  const emit = options.emit ?? (() => {});

  const refFor = (port: string): ArtifactRef => {
    const ref = inputs[port];
    if (!ref) {
      const spec = stage.inputs[port];
      throw new StageError(`Input "${spec?.label ?? port}" is not connected.`, {
        field: port,
        hint: "Connect an output of the right type to this input.",
      });
    }
    return ref;
  };

  let lastProgressAt = 0;
  return {
    params: options.params,
    nodeId,
    inputs,
    device: options.device ?? { kind: "cpu" },
    signal: options.signal ?? new AbortController().signal,
    readTable(port) {
      return tableFromArrow(store.read(refFor(port).hash));
    },
    readJson(port) {
      return store.readJson(refFor(port).hash);
    },
    writeTable(table: DataTable) {
      const { hash, size } = store.put(tableToArrow(table));
      return { hash, size, kind: "table", summary: summarizeTable(table) };
    },
    writeJson(kind: Exclude<ArtifactKind, "table">, value: unknown, summary: Record<string, unknown> = {}) {
      const { hash, size } = store.putJson(value);
      return { hash, size, kind, summary };
    },
    readBytes(port) {
      return store.read(refFor(port).hash);
    },
    writeBytes(kind: Exclude<ArtifactKind, "table">, bytes: Uint8Array, summary: Record<string, unknown> = {}) {
      const { hash, size } = store.put(bytes);
      return { hash, size, kind, summary };
    },
    readUserFile(source) {
      if (source.uploadId) {
        return { bytes: store.read(source.uploadId), name: `upload ${source.uploadId.slice(0, 8)}` };
      }
      if (source.path) {
        const real = resolveUserPath(source.path, options.fileRoots);
        return { bytes: readFileSync(real), name: path.basename(real) };
      }
      throw new StageError("No file chosen: give a path or upload a file.", { field: "path" });
    },
    readUserFiles(userPath) {
      const real = resolveUserPath(userPath, options.fileRoots, "file-or-folder");
      if (!statSync(real).isDirectory()) return { name: path.basename(real), isFolder: false, files: [{ path: path.basename(real), bytes: readFileSync(real) }] };
      const files = listFolderFiles(real, options.fileRoots).map((f) => ({ path: f.path, bytes: readFileSync(f.real) }));
      if (files.length === 0) throw new UserPathError(`${userPath} is an empty folder.`);
      return { name: path.basename(real), isFolder: true, files };
    },
    progress(fraction, message) {
      // Progress is advisory: at most ~10 messages a second reach the run view.
      const now = Date.now();
      if (fraction < 1 && now - lastProgressAt < 100) return;
      lastProgressAt = now;
      emit({ type: "progress", fraction: Math.max(0, Math.min(1, fraction)), message });
    },
    log(message) {
      emit({ type: "log", level: "info", message });
    },
    warn(message) {
      emit({ type: "log", level: "warn", message });
    },
    reportBackend(name) {
      emit({ type: "backend", name });
    },
  };
}
