import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Folders and files whose change means the pages must be rebuilt. */
const UI_INPUTS = ["app", "components", "lib", "public", "server/api-types.ts", "next.config.ts", "package-lock.json"];
const STAMP = ".next/studio-build-stamp";

function fingerprint(root: string): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(full).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(`${relative}:${stat.size}:${Math.floor(stat.mtimeMs)}\n`);
    }
  };
  UI_INPUTS.forEach(visit);
  return hash.digest("hex");
}

/**
 * `npm start` on a fresh clone must just work: build the pages when there is no build yet or
 * when the UI sources changed since the last one, and otherwise start at once.
 */
export function ensureProductionBuild(root: string, log: (message: string) => void): void {
  const current = fingerprint(root);
  const stampFile = path.join(root, STAMP);
  if (existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === current) {
    return;
  }
  log("building the studio's pages (first start or changed sources; about a minute)...");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("Building the pages failed (see the output above).");
  writeFileSync(stampFile, fingerprint(root));
}
