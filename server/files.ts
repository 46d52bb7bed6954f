import { createHash } from "node:crypto";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Where user-given paths may point: the studio's working directory, its data folder and any
 * folders listed in STUDIO_FILE_ROOTS (separated by the platform's path delimiter). A path is
 * resolved (symlinks included) before the check, so `..` and links cannot escape.
 */
export function allowedRoots(dataDir: string): string[] {
  const extra = (process.env.STUDIO_FILE_ROOTS ?? "").split(path.delimiter).filter(Boolean);
  return [process.cwd(), dataDir, ...extra].map((root) => path.resolve(root));
}

export class UserPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserPathError";
  }
}

/** What a stage expects a path to name. */
export type PathExpectation = "file" | "folder" | "file-or-folder";

function insideRoots(real: string, roots: string[]): boolean {
  return roots.some((root) => {
    const realRoot = existsSync(root) ? realpathSync(root) : root;
    const relative = path.relative(realRoot, real);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  });
}

export function resolveUserPath(userPath: string, roots: string[], expect: PathExpectation = "file"): string {
  if (typeof userPath !== "string" || userPath.trim() === "") throw new UserPathError("No file path given.");
  if (userPath.includes("\0")) throw new UserPathError("The file path contains a NUL character.");
  const absolute = path.resolve(process.cwd(), userPath);
  if (!existsSync(absolute)) {
    throw new UserPathError(`File not found: ${userPath} (looked at ${absolute}). Check the path or upload the file.`);
  }
  const real = realpathSync(absolute);
  if (!insideRoots(real, roots)) {
    throw new UserPathError(
      `${userPath} is outside the folders the studio may read (${roots.join(", ")}). ` +
        "Upload the file instead, or add its folder to STUDIO_FILE_ROOTS.",
    );
  }
  const isFolder = statSync(real).isDirectory();
  if (expect === "file" && !statSync(real).isFile()) throw new UserPathError(`${userPath} is not a file.`);
  if (expect === "folder" && !isFolder) throw new UserPathError(`${userPath} is not a folder.`);
  return real;
}

export interface FolderEntry {
  /** Relative to the folder, with "/" separators ("cats/001.png"). */
  path: string;
  real: string;
  size: number;
  mtimeMs: number;
}

/** The most files one folder listing returns; a folder beyond it is an error, not a silent cut. */
export const MAX_FOLDER_FILES = 200_000;

/**
 * Every regular file under a folder, sorted by relative path (a stable order for caching and
 * reproducible datasets). Hidden entries (".DS_Store", ".git") are skipped; a symlink is followed
 * only when its target is inside the allowed roots, so a link cannot pull in an outside file.
 */
export function listFolderFiles(realFolder: string, roots: string[], maxFiles = MAX_FOLDER_FILES): FolderEntry[] {
  const out: FolderEntry[] = [];
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > 32) throw new UserPathError(`${realFolder} nests folders more than 32 deep (a symlink loop?).`);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      let real = full;
      if (entry.isSymbolicLink()) {
        if (!existsSync(full)) continue;
        real = realpathSync(full);
        if (!insideRoots(real, roots)) continue;
      }
      const stat = statSync(real);
      if (stat.isDirectory()) walk(real, relative, depth + 1);
      else if (stat.isFile()) {
        out.push({ path: relative, real, size: stat.size, mtimeMs: stat.mtimeMs });
        if (out.length > maxFiles) throw new UserPathError(`${realFolder} holds more than ${maxFiles} files; point at a smaller folder.`);
      }
    }
  };
  walk(realFolder, "", 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Size and modification time: cheap evidence that a file changed, used in cache keys. For a folder,
 * a digest of every file's relative path, size and time, so adding, removing or editing one
 * image re-runs the node.
 */
export function fileFingerprint(userPath: string, roots: string[]): string {
  try {
    const real = resolveUserPath(userPath, roots, "file-or-folder");
    const stat = statSync(real);
    if (!stat.isDirectory()) return `${real}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
    const digest = createHash("sha256");
    for (const f of listFolderFiles(real, roots)) digest.update(`${f.path}\0${f.size}\0${Math.floor(f.mtimeMs)}\n`);
    return `${real}/:${digest.digest("hex")}`;
  } catch (error) {
    // An unreadable path is reported by the stage when it runs; here it just must not match a cache.
    return `unreadable:${userPath}:${(error as Error).message}`;
  }
}
