import { z } from "zod";
import { makeTable, type TableColumn } from "../../artifacts/table";
import { UserPathError } from "../../files";
import { labelImages, unzipFiles, type ImageSet } from "../../ml/images/archive";
import { decodeImage } from "../../ml/images/decode";
import { pixelColumnNames } from "../../ml/images/pixel-columns";
import { resizeImage, toChannels } from "../../ml/images/resize";
import { MlInputError } from "../../ml/errors";
import { listNames } from "../common";
import { fileSourceExternalFiles, fileSourceParams } from "../file-source";
import { defineStage, StageError, type StageContext } from "../types";

const params = z.object({
  ...fileSourceParams({ defaultSource: "path", defaultPath: "examples/data/shapes.zip", uploadLabel: "Uploaded .zip of images", accept: ".zip,application/zip" }),
  width: z.number().int().min(1).max(512).default(28).describe("Width after resizing (pixels)"),
  height: z.number().int().min(1).max(512).default(28).describe("Height after resizing (pixels)"),
  color: z.enum(["grayscale", "rgb"]).default("grayscale").describe("Colour").meta({ options: [{ value: "grayscale", label: "Grayscale (1 channel)" }, { value: "rgb", label: "RGB (3 channels)" }] }),
  normalize: z.enum(["unit", "raw"]).default("unit").describe("Pixel values").meta({ options: [{ value: "unit", label: "0 to 1 (divided by 255)" }, { value: "raw", label: "0 to 255" }] }),
});

export type LoadImagesParams = z.output<typeof params>;

/** More cells than this (rows x pixel columns) would not fit a worker's memory as a float64 table. */
const MAX_CELLS = 250_000_000;

export const loadImages = defineStage({
  id: "load-images",
  version: 1,
  title: "Load images",
  category: "Ingest",
  description:
    "Reads a folder or .zip of PNG/JPEG images laid out one folder per class (cat/001.png), resizes and normalises them, and makes a table: " +
    "file, label, then one px_<row>_<col>_<channel> column per pixel, ready for Split and a CNN.",
  params,
  inputs: {},
  outputs: { table: { type: "table", label: "Images" } },
  externalFiles: fileSourceExternalFiles,
  async run(ctx) {
    const p = ctx.params;
    const set = readImageSet(ctx, p);
    const channels = p.color === "rgb" ? 3 : 1;
    const names = pixelColumnNames(p.height, p.width, channels);
    if (set.images.length * names.length > MAX_CELLS) {
      throw new StageError(
        `${set.images.length} images of ${p.width}x${p.height}x${channels} make ${(set.images.length * names.length / 1e6).toFixed(0)} million values, more than the ${MAX_CELLS / 1e6} million a table holds; lower the width and height or use fewer images.`,
        { field: "width" },
      );
    }
    if (set.skipped.length > 0) ctx.warn(`Skipped ${set.skipped.length} files that are not PNG or JPEG images: ${listNames(set.skipped.slice(0, 5))}${set.skipped.length > 5 ? ", ..." : ""}.`);

    const n = set.images.length;
    const pixels = names.map(() => new Float64Array(n));
    const scale = p.normalize === "unit" ? 1 / 255 : 1;
    const sizes = new Map<string, number>();
    set.images.forEach((file, row) => {
      if (row % 64 === 0) {
        if (ctx.signal.aborted) throw new StageError("Cancelled.");
        ctx.progress(0.1 + 0.85 * (row / n), `image ${row + 1}/${n}`);
      }
      let rgba;
      try {
        rgba = decodeImage(file.bytes, file.path);
      } catch (error) {
        if (error instanceof MlInputError) throw new StageError(`${error.message}.`, { field: p.source === "upload" ? "uploadId" : "path", row: row + 1, hint: "Remove or replace the file and run again." });
        throw error;
      }
      const size = `${rgba.width}x${rgba.height}`;
      sizes.set(size, (sizes.get(size) ?? 0) + 1);
      const image = resizeImage(toChannels(rgba, channels), p.width, p.height);
      for (let k = 0; k < names.length; k++) pixels[k]![row] = image.data[k]! * scale;
    });

    const columns: TableColumn[] = [
      { name: "file", kind: "string", values: set.images.map((f) => f.path) },
      { name: "label", kind: "string", values: set.images.map((f) => f.label) },
      ...names.map((name, k): TableColumn => ({ name, kind: "number", values: pixels[k]! })),
    ];
    const counts = new Map<string, number>();
    for (const f of set.images) counts.set(f.label, (counts.get(f.label) ?? 0) + 1);
    ctx.log(`Read ${n} images in ${counts.size} classes: ${[...counts].map(([label, c]) => `${label} ${c}`).join(", ")}.`);
    const commonSizes = [...sizes].sort((a, b) => b[1] - a[1]);
    ctx.log(`Original sizes: ${commonSizes.slice(0, 3).map(([s, c]) => `${s} (${c})`).join(", ")}${commonSizes.length > 3 ? `, and ${commonSizes.length - 3} more` : ""}; resized to ${p.width}x${p.height}, ${p.color}.`);
    if (counts.size < 2) ctx.warn(`Every image is labelled '${[...counts.keys()][0]}': a classifier needs at least two class folders.`);
    ctx.progress(1);
    return { table: ctx.writeTable(makeTable(columns)) };
  },
});

type FileReader = Pick<StageContext<unknown>, "readUserFile" | "readUserFiles">;

/** The labelled images behind the params: an uploaded zip, a zip on disk, or a folder. */
function readImageSet(ctx: FileReader, p: LoadImagesParams): ImageSet {
  const field = p.source === "upload" ? "uploadId" : "path";
  try {
    if (p.source === "upload") {
      if (!p.uploadId) throw new StageError("No file uploaded yet: upload a .zip of images, or switch the source to a path.", { field });
      const file = ctx.readUserFile({ uploadId: p.uploadId });
      return labelImages(unzipFiles(file.bytes, "the uploaded file"), "the uploaded zip");
    }
    const found = ctx.readUserFiles(p.path);
    if (found.isFolder) return labelImages(found.files, p.path);
    return labelImages(unzipFiles(found.files[0]!.bytes, p.path), p.path);
  } catch (error) {
    if (error instanceof StageError) throw error;
    if (error instanceof UserPathError || error instanceof MlInputError) {
      // UserPathError messages are sentences already; MlInputError messages end without a full stop.
      throw new StageError(`Field '${field}': ${error.message}${error.message.endsWith(".") ? "" : "."}`, { field });
    }
    throw new StageError(`Field '${field}': ${p.path || "the upload"} could not be read: ${(error as Error).message}`, { field });
  }
}
