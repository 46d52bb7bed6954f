import { createHash } from "node:crypto";

/**
 * What a node's cache key is made of (principle 5). Kept beside each node run so the studio can
 * say which part changed when a node re-runs.
 */
export interface CacheKeyParts {
  stage: string;
  stageVersion: number;
  /** Params after the stage's schema applied defaults, so adding a default does not miss the cache. */
  params: Record<string, unknown>;
  /** Artifact hash per connected input port. */
  inputs: Record<string, string>;
  /** Fingerprint (path, size, mtime) per external file the stage reads. */
  files: Record<string, string>;
}

/** JSON with object keys sorted at every level: equal values always serialise the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash("sha256").update(canonicalJson(parts)).digest("hex");
}

function show(value: unknown): string {
  const text = value === undefined ? "unset" : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Human-readable differences between the key parts of a node's previous run and this one,
 * e.g. `param "C" changed (1 → 0.5)` or `input "train" changed`.
 */
export function explainKeyChange(previous: CacheKeyParts | null, current: CacheKeyParts): string[] {
  if (!previous) return ["first run of this node"];
  const reasons: string[] = [];
  if (previous.stage !== current.stage) reasons.push(`stage changed (${previous.stage} → ${current.stage})`);
  if (previous.stageVersion !== current.stageVersion) {
    reasons.push(`stage version changed (v${previous.stageVersion} → v${current.stageVersion})`);
  }
  const paramNames = new Set([...Object.keys(previous.params), ...Object.keys(current.params)]);
  for (const name of [...paramNames].sort()) {
    const before = previous.params[name];
    const after = current.params[name];
    if (canonicalJson(before) !== canonicalJson(after)) reasons.push(`param "${name}" changed (${show(before)} → ${show(after)})`);
  }
  const ports = new Set([...Object.keys(previous.inputs), ...Object.keys(current.inputs)]);
  for (const port of [...ports].sort()) {
    if (previous.inputs[port] !== current.inputs[port]) {
      if (!previous.inputs[port]) reasons.push(`input "${port}" was connected`);
      else if (!current.inputs[port]) reasons.push(`input "${port}" was disconnected`);
      else reasons.push(`input "${port}" changed`);
    }
  }
  const files = new Set([...Object.keys(previous.files ?? {}), ...Object.keys(current.files ?? {})]);
  for (const file of [...files].sort()) {
    if (previous.files?.[file] !== current.files?.[file]) reasons.push(`file ${file} changed`);
  }
  return reasons;
}
