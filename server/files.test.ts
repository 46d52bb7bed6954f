import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileFingerprint, listFolderFiles, resolveUserPath } from "./files";

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

  it("lists a folder's files in a stable order, skipping hidden files and links that leave the roots", () => {
    const images = path.join(allowed, "images");
    mkdirSync(path.join(images, "b"), { recursive: true });
    mkdirSync(path.join(images, "a"));
    writeFileSync(path.join(images, "b", "2.png"), "x");
    writeFileSync(path.join(images, "a", "1.png"), "x");
    writeFileSync(path.join(images, ".DS_Store"), "x");
    symlinkSync(path.join(outside, "secret.csv"), path.join(images, "a", "escape.png"));
    symlinkSync(path.join(allowed, "data.csv"), path.join(images, "a", "inside.csv"));
    const real = resolveUserPath(images, [allowed], "folder");
    expect(listFolderFiles(real, [allowed]).map((f) => f.path)).toEqual(["a/1.png", "a/inside.csv", "b/2.png"]);
    expect(() => resolveUserPath(path.join(allowed, "data.csv"), [allowed], "folder")).toThrow(/is not a folder/);
    expect(() => listFolderFiles(real, [allowed], 2)).toThrow(/more than 2 files/);
  });

  it("fingerprints a folder by its files: adding or editing one changes it", () => {
    const folder = path.join(allowed, "fp");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "1.png"), "x");
    const first = fileFingerprint(folder, [allowed]);
    expect(first).not.toMatch(/^unreadable/);
    expect(fileFingerprint(folder, [allowed])).toBe(first);
    writeFileSync(path.join(folder, "2.png"), "y");
    const second = fileFingerprint(folder, [allowed]);
    expect(second).not.toBe(first);
    writeFileSync(path.join(folder, "2.png"), "yy");
    expect(fileFingerprint(folder, [allowed])).not.toBe(second);
  });
});
