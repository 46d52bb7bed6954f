/** Id generation for nodes and edges. Ids must satisfy the document's pattern [A-Za-z0-9_.-]{1,64}. */

const MAX_ID = 64;

function sanitize(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "");
  return (cleaned || "node").slice(0, MAX_ID);
}

/** Readable ids users can recognise in logs and the CLI: `train`, then `train_2`, `train_3`, ... */
export function nextNodeId(stageId: string, taken: ReadonlySet<string>): string {
  const base = sanitize(stageId.replace(/-/g, "_"));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = base.slice(0, MAX_ID - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** `source-target` (what a reader of the JSON expects); numbered when two edges join the same nodes. */
export function nextEdgeId(source: string, target: string, taken: ReadonlySet<string>): string {
  const base = sanitize(`${source}-${target}`);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = base.slice(0, MAX_ID - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
