/**
 * A labelled image set from a folder or a .zip laid out one folder per class, the convention of
 * Keras' image_dataset_from_directory and torchvision's ImageFolder:
 *
 *   circle/001.png, circle/002.png, square/001.png, ...
 *
 * A zip whose entries all sit under one top folder (shapes/circle/001.png) is read from inside it.
 * The class is the first folder under that root; deeper folders belong to their class.
 */
import { unzipSync } from "fflate";
import { MlInputError } from "../errors";
import { isImageName } from "./decode";

export interface LabelledFile {
  /** Relative to the data set's root ("circle/001.png"). */
  path: string;
  label: string;
  bytes: Uint8Array;
}

export interface ImageSet {
  images: LabelledFile[];
  /** Files that are not PNG or JPEG by name, left out. */
  skipped: string[];
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

/** Entries of a zip archive (folders and macOS resource forks left out). */
export function unzipFiles(bytes: Uint8Array, name: string): { path: string; bytes: Uint8Array }[] {
  if (!isZip(bytes)) throw new MlInputError(`${name} is not a .zip archive; give a folder of images, or a zip of one`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => !f.name.endsWith("/") && !f.name.startsWith("__MACOSX/") });
  } catch (error) {
    throw new MlInputError(`${name} could not be unzipped (${(error as Error).message}); the archive may be truncated or use an unsupported compression`);
  }
  return Object.entries(entries).map(([path, data]) => ({ path, bytes: data }));
}

/** Forward slashes, no leading "./" or "/", no empty or ".." parts (a zip may hold any name). */
function normalise(path: string): string[] | null {
  const parts = path.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) return null;
  return parts;
}

export function labelImages(files: { path: string; bytes: Uint8Array }[], sourceName: string): ImageSet {
  const skipped: string[] = [];
  let entries: { parts: string[]; bytes: Uint8Array }[] = [];
  for (const file of files) {
    const parts = normalise(file.path);
    if (!parts || parts.some((p) => p.startsWith("."))) continue;
    if (!isImageName(parts[parts.length - 1]!)) {
      skipped.push(parts.join("/"));
      continue;
    }
    entries.push({ parts, bytes: file.bytes });
  }
  if (entries.length === 0) {
    throw new MlInputError(
      `${sourceName} holds no PNG or JPEG images${skipped.length ? ` (found ${skipped.slice(0, 3).join(", ")}${skipped.length > 3 ? ", ..." : ""})` : ""}; put the images in one folder per class, e.g. cat/001.png, dog/001.png`,
    );
  }
  // One shared top folder around the class folders (how most zips are made): read from inside it.
  while (entries.every((e) => e.parts.length >= 3 && e.parts[0] === entries[0]!.parts[0])) {
    entries = entries.map((e) => ({ parts: e.parts.slice(1), bytes: e.bytes }));
  }
  const loose = entries.filter((e) => e.parts.length < 2);
  if (loose.length > 0) {
    throw new MlInputError(
      `${loose[0]!.parts.join("/")} in ${sourceName} is not inside a class folder; the folder name is the image's label, so lay the images out as <label>/<file> (e.g. cat/001.png)`,
    );
  }
  const images = entries
    .map((e) => ({ path: e.parts.join("/"), label: e.parts[0]!, bytes: e.bytes }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { images, skipped };
}
