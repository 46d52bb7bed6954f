import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileFingerprint, resolveUserPath } from "./files";

describe("user file paths", () => {
  const root = mkdtempSync(path.join(tmpdir(), "roots-"));
  const allowed = path.join(root, "allowed");
  const outside = path.join(root, "outside");
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(path.join(allowed, "data.csv"), "a\n1\n");
  writeFileSync(path.join(outside, "secret.csv"), "s\n1\n");
  symlinkSync(path.join(outside, "secret.csv"), path.join(allowed, "link.csv"));

  it("resolves a file inside an allowed folder", () => {
    expect(resolveUserPath(path.join(allowed, "data.csv"), [allowed])).toBe(path.join(allowed, "data.csv"));
  });

  it("refuses paths that leave the allowed folders, by .. or by a symlink", () => {
    expect(() => resolveUserPath(path.join(allowed, "..", "outside", "secret.csv"), [allowed])).toThrow(/outside the folders the studio may read/);
    expect(() => resolveUserPath(path.join(allowed, "link.csv"), [allowed])).toThrow(/outside the folders/);
  });

  it("says when a file does not exist, or is a folder", () => {
    expect(() => resolveUserPath(path.join(allowed, "gone.csv"), [allowed])).toThrow(/File not found: .*gone\.csv/);
    expect(() => resolveUserPath(allowed, [root])).toThrow(/is not a file/);
    expect(() => resolveUserPath("", [allowed])).toThrow(/No file path given/);
  });

  it("fingerprints change when the file changes", () => {
    const file = path.join(allowed, "data.csv");
    const before = fileFingerprint(file, [allowed]);
    writeFileSync(file, "a\n1\n2\n");
    expect(fileFingerprint(file, [allowed])).not.toBe(before);
  });
});
