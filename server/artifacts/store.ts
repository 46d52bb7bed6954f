import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, existsSync, readFileSync, renameSync, writeFileSync, statSync, openSync, closeSync, fsyncSync, writeSync } from "node:fs";
import path from "node:path";
import { decodeJson, encodeJson } from "./packed-json";

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Content-addressed artifact store: every artifact is a file named by the SHA-256 of its bytes,
 * fanned out by the first two hex digits. Writes go to a temp file in the same folder and are
 * renamed into place, so a reader (or a crash) never sees half a file; writing the same content
 * twice is a no-op.
 */
export class ArtifactStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, "artifacts");
    mkdirSync(this.root, { recursive: true });
  }

  pathOf(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new Error(`Not an artifact hash: ${JSON.stringify(hash)}`);
    return path.join(this.root, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /** Stores bytes and returns their hash and size. */
  put(bytes: Uint8Array): { hash: string; size: number } {
    const hash = createHash("sha256").update(bytes).digest("hex");
    const target = this.pathOf(hash);
    if (!existsSync(target)) {
      mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      const fd = openSync(temp, "w");
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, target);
    }
    return { hash, size: bytes.byteLength };
  }

  /** Stores a JSON value (long number arrays packed as binary: packed-json.ts). */
  putJson(value: unknown): { hash: string; size: number } {
    return this.put(encodeJson(value));
  }

  read(hash: string): Buffer {
    const file = this.pathOf(hash);
    if (!existsSync(file)) {
      throw new Error(`Artifact ${hash.slice(0, 12)} is missing from ${this.root}; re-run the node that produced it.`);
    }
    return readFileSync(file);
  }

  readJson<T = unknown>(hash: string): T {
    return decodeJson(this.read(hash), `Artifact ${hash.slice(0, 12)}`) as T;
  }

  sizeOf(hash: string): number {
    return statSync(this.pathOf(hash)).size;
  }
}

/** Writes a small file atomically (temp + rename); used for uploads and config. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
