import { existsSync, realpathSync, statSync } from "node:fs";
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

export function resolveUserPath(userPath: string, roots: string[]): string {
  if (typeof userPath !== "string" || userPath.trim() === "") throw new UserPathError("No file path given.");
  if (userPath.includes("\0")) throw new UserPathError("The file path contains a NUL character.");
  const absolute = path.resolve(process.cwd(), userPath);
  if (!existsSync(absolute)) {
    throw new UserPathError(`File not found: ${userPath} (looked at ${absolute}). Check the path or upload the file.`);
  }
  const real = realpathSync(absolute);
  const inside = roots.some((root) => {
    const realRoot = existsSync(root) ? realpathSync(root) : root;
    const relative = path.relative(realRoot, real);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  });
  if (!inside) {
    throw new UserPathError(
      `${userPath} is outside the folders the studio may read (${roots.join(", ")}). ` +
        "Upload the file instead, or add its folder to STUDIO_FILE_ROOTS.",
    );
  }
  if (!statSync(real).isFile()) throw new UserPathError(`${userPath} is not a file.`);
  return real;
}

/** Size and modification time: cheap evidence that a file changed, used in cache keys. */
export function fileFingerprint(userPath: string, roots: string[]): string {
  try {
    const real = resolveUserPath(userPath, roots);
    const stat = statSync(real);
    return `${real}:${stat.size}:${Math.floor(stat.mtimeMs)}`;
  } catch (error) {
    // An unreadable path is reported by the stage when it runs; here it just must not match a cache.
    return `unreadable:${userPath}:${(error as Error).message}`;
  }
}
