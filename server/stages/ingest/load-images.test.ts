import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { zipSync } from "fflate";
import { PNG } from "pngjs";
import { getColumn } from "../../artifacts/table";
import { stageHarness } from "../testing";
import { StageError } from "../types";
import { loadImages } from "./load-images";

function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(image);
}

function folderOf(files: Record<string, Buffer>) {
  const h = stageHarness();
  const root = path.join(h.dataDir, "images");
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), bytes);
  }
  return { h, root };
}

async function failure(run: Promise<unknown>): Promise<StageError> {
  const error = await run.catch((e) => e);
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

describe("load-images", () => {
  it("reads a class-per-folder tree into file, label and pixel columns, resized and scaled to 0..1", async () => {
    const { h, root } = folderOf({
      "red/a.png": png(4, 4, [255, 0, 0]),
      "blue/b.png": png(8, 2, [0, 0, 255]),
      "blue/c.png": png(3, 3, [0, 0, 255]),
    });
    const out = await h.run(loadImages, { path: root, width: 2, height: 2, color: "rgb" });
    const table = h.readTable(out.table);
    expect(table.rowCount).toBe(3);
    expect(table.columns.slice(0, 4).map((c) => c.name)).toEqual(["file", "label", "px_0_0_0", "px_0_0_1"]);
    expect(table.columns).toHaveLength(2 + 2 * 2 * 3);
    expect(getColumn(table, "file")!.values).toEqual(["blue/b.png", "blue/c.png", "red/a.png"]);
    expect(getColumn(table, "label")!.values).toEqual(["blue", "blue", "red"]);
    // A flat colour stays that colour through resizing: blue rows have B = 1, the red row R = 1.
    expect(Array.from(getColumn(table, "px_1_1_2")!.values as Float64Array).map((v) => Number(v.toFixed(5)))).toEqual([1, 1, 0]);
    expect(Array.from(getColumn(table, "px_0_1_0")!.values as Float64Array).map((v) => Number(v.toFixed(5)))).toEqual([0, 0, 1]);
    const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
    expect(logs.join("\n")).toMatch(/Read 3 images in 2 classes: blue 2, red 1/);
  });

  it("converts to grayscale luma and can keep 0..255", async () => {
    const { h, root } = folderOf({ "a/1.png": png(2, 2, [100, 200, 50]), "b/1.png": png(2, 2, [0, 0, 0]) });
    const out = await h.run(loadImages, { path: root, width: 2, height: 2, normalize: "raw" });
    const table = h.readTable(out.table);
    expect(table.columns).toHaveLength(2 + 4);
    expect((getColumn(table, "px_0_0_0")!.values as Float64Array)[0]).toBeCloseTo(153, 3);
  });

  it("reads the shipped shapes zip from a path and the same zip as an upload", async () => {
    const h = stageHarness();
    const fromPath = h.readTable((await h.run(loadImages, {})).table);
    expect(fromPath.rowCount).toBe(900);
    expect(new Set(getColumn(fromPath, "label")!.values as string[])).toEqual(new Set(["circle", "square", "triangle"]));
    const { readFileSync } = await import("node:fs");
    const upload = h.store.put(readFileSync("examples/data/shapes.zip"));
    const fromUpload = h.readTable((await h.run(loadImages, { source: "upload", uploadId: upload.hash })).table);
    expect(fromUpload.rowCount).toBe(900);
    expect(Array.from(getColumn(fromUpload, "px_14_14_0")!.values as Float64Array)).toEqual(Array.from(getColumn(fromPath, "px_14_14_0")!.values as Float64Array));
  });

  it("names the corrupt image and its row, and keeps going for nothing", async () => {
    const { h, root } = folderOf({ "a/1.png": png(2, 2, [1, 2, 3]), "a/2.png": png(2, 2, [1, 2, 3]).subarray(0, 30), "b/1.png": png(2, 2, [0, 0, 0]) });
    const error = await failure(h.run(loadImages, { path: root }));
    expect(error.message).toMatch(/a\/2\.png could not be decoded as PNG/);
    expect(error.row).toBe(2);
    expect(error.field).toBe("path");
  });

  it("explains an empty folder, a CSV given as images, a missing path and a missing upload", async () => {
    const { h, root } = folderOf({ "readme.txt": Buffer.from("hi") });
    expect((await failure(h.run(loadImages, { path: root }))).message).toMatch(/holds no PNG or JPEG images/);
    const empty = path.join(h.dataDir, "empty");
    mkdirSync(empty);
    expect((await failure(h.run(loadImages, { path: empty }))).message).toMatch(/is an empty folder/);
    writeFileSync(path.join(h.dataDir, "data.csv"), "a,b\n1,2\n");
    expect((await failure(h.run(loadImages, { path: path.join(h.dataDir, "data.csv") }))).message).toMatch(/data\.csv is not a \.zip archive; give a folder of images/);
    expect((await failure(h.run(loadImages, { path: path.join(h.dataDir, "gone") }))).message).toMatch(/Field 'path': File not found/);
    expect((await failure(h.run(loadImages, { source: "upload" }))).field).toBe("uploadId");
    const notZip = h.store.put(Buffer.from("not a zip"));
    expect((await failure(h.run(loadImages, { source: "upload", uploadId: notZip.hash }))).message).toMatch(/the uploaded file is not a \.zip archive/);
  });

  it("reads a zip with loose images as an error naming the file", async () => {
    const h = stageHarness();
    const file = path.join(h.dataDir, "loose.zip");
    writeFileSync(file, zipSync({ "1.png": png(2, 2, [0, 0, 0]), "cat/2.png": png(2, 2, [0, 0, 0]) }));
    expect((await failure(h.run(loadImages, { path: file }))).message).toMatch(/1\.png in .*loose\.zip is not inside a class folder/);
  });
});
