import { describe, expect, it } from "vitest";
import { zipSync } from "fflate";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { labelImages, unzipFiles } from "./archive";
import { decodeImage } from "./decode";
import { imageShapeOf, pixelColumnNames } from "./pixel-columns";
import { resizeImage, toChannels, type FloatImage } from "./resize";

function rgbaPng(width: number, height: number, fill: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(fill(x, y), (y * width + x) * 4);
  return PNG.sync.write(png);
}

const row = (values: number[]): FloatImage => ({ width: values.length, height: 1, channels: 1, data: Float32Array.from(values) });

describe("decoding", () => {
  it("reads PNG pixels exactly and JPEG pixels closely, by content rather than extension", () => {
    const png = rgbaPng(3, 2, (x, y) => [x * 100, y * 200, 7, 255]);
    const image = decodeImage(png, "a.jpg");
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.data.slice(0, 8))).toEqual([0, 0, 7, 255, 100, 0, 7, 255]);
    expect(image.data[(1 * 3 + 2) * 4 + 1]).toBe(200);

    const flat = new Uint8Array(8 * 8 * 4).fill(128);
    const encoded = jpeg.encode({ width: 8, height: 8, data: flat }, 95).data;
    const decoded = decodeImage(new Uint8Array(encoded), "b.png");
    expect(decoded.width).toBe(8);
    expect(Math.abs(decoded.data[0]! - 128)).toBeLessThanOrEqual(2);
  });

  it("names the file that is not an image, or is cut short", () => {
    expect(() => decodeImage(new TextEncoder().encode("hello"), "cat/notes.png")).toThrow(/cat\/notes\.png is not a PNG or JPEG/);
    const png = rgbaPng(16, 16, () => [1, 2, 3, 255]);
    expect(() => decodeImage(png.slice(0, 40), "dog/1.png")).toThrow(/dog\/1\.png could not be decoded as PNG/);
  });
});

describe("colour and resizing (Pillow's convert('L') and resize(BILINEAR))", () => {
  it("converts to ITU-R 601-2 luma", () => {
    const gray = toChannels({ width: 1, height: 1, data: Uint8Array.from([100, 200, 50, 255]) }, 1);
    // 100*0.299 + 200*0.587 + 50*0.114 = 29.9 + 117.4 + 5.7
    expect(gray.data[0]).toBeCloseTo(153, 4);
  });

  it("shrinks with the widened triangle filter: [0,10,20,30] -> 2 pixels", () => {
    // Output 0: centre 1, support 2, inputs 0..2 weighted 0.75, 0.75, 0.25 -> (0*.75 + 10*.75 + 20*.25) / 1.75.
    // Output 1: centre 3, inputs 1..3 weighted 0.25, 0.75, 0.75 -> (10*.25 + 20*.75 + 30*.75) / 1.75.
    const out = resizeImage(row([0, 10, 20, 30]), 2, 1);
    expect(out.data[0]).toBeCloseTo(12.5 / 1.75, 5);
    expect(out.data[1]).toBeCloseTo(40 / 1.75, 5);
  });

  it("enlarges with half-pixel bilinear interpolation: [0, 100] -> 4 pixels", () => {
    // Centres 0.25, 0.75, 1.25, 1.75 in input pixels: edges clamp, middle blends 3:1 and 1:3.
    const out = resizeImage(row([0, 100]), 4, 1);
    expect(Array.from(out.data)).toEqual([0, 25, 75, 100]);
  });

  it("resizes each channel of a 2-D image on its own and keeps a constant image constant", () => {
    const img: FloatImage = { width: 5, height: 3, channels: 3, data: new Float32Array(45) };
    for (let i = 0; i < 15; i++) img.data.set([10, 20, 30], i * 3);
    const out = resizeImage(img, 2, 7);
    expect([out.width, out.height, out.data.length]).toEqual([2, 7, 42]);
    for (let i = 0; i < 14; i++) expect(Array.from(out.data.slice(i * 3, i * 3 + 3)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([10, 20, 30]);
  });
});

describe("labelled image sets", () => {
  const bytes = rgbaPng(2, 2, () => [0, 0, 0, 255]);

  it("labels by class folder, reads inside one shared top folder and skips other files", () => {
    const zip = zipSync({
      "set/cat/1.png": bytes,
      "set/cat/2.jpg": bytes,
      "set/dog/sub/3.png": bytes,
      "set/dog/readme.txt": new Uint8Array([1]),
      "__MACOSX/set/cat/._1.png": new Uint8Array([0]),
      "set/.hidden/4.png": bytes,
    });
    const set = labelImages(unzipFiles(zip, "set.zip"), "set.zip");
    expect(set.images.map((i) => [i.path, i.label])).toEqual([
      ["cat/1.png", "cat"],
      ["cat/2.jpg", "cat"],
      ["dog/sub/3.png", "dog"],
    ]);
    expect(set.skipped).toEqual(["set/dog/readme.txt"]);
  });

  it("says how to lay out images that are not in class folders, and what a non-zip is", () => {
    expect(() => labelImages([{ path: "1.png", bytes }, { path: "cat/2.png", bytes }], "photos")).toThrow(/1\.png in photos is not inside a class folder.*<label>\/<file>/);
    expect(() => labelImages([{ path: "a/notes.txt", bytes }], "photos")).toThrow(/photos holds no PNG or JPEG images \(found a\/notes\.txt\)/);
    expect(() => unzipFiles(new TextEncoder().encode("a,b\n1,2\n"), "data.csv")).toThrow(/data\.csv is not a \.zip archive/);
    expect(() => unzipFiles(zipSync({ "a/1.png": bytes }).slice(0, 30), "cut.zip")).toThrow(/cut\.zip could not be unzipped/);
  });

  it("ignores zip entries that climb out with ..", () => {
    const set = labelImages([{ path: "../evil/1.png", bytes }, { path: "cat/1.png", bytes }, { path: "dog/1.png", bytes }], "z");
    expect(set.images.map((i) => i.path)).toEqual(["cat/1.png", "dog/1.png"]);
  });
});

describe("pixel columns", () => {
  it("round-trips a shape through the column names", () => {
    expect(pixelColumnNames(2, 2, 1)).toEqual(["px_0_0_0", "px_0_1_0", "px_1_0_0", "px_1_1_0"]);
    expect(imageShapeOf(pixelColumnNames(4, 3, 3))).toEqual({ height: 4, width: 3, channels: 3 });
  });

  it("names the column that breaks the image", () => {
    expect(() => imageShapeOf(["file", ...pixelColumnNames(2, 2, 1)])).toThrow(/column 'file' is not an image pixel.*leave out/);
    const missing = pixelColumnNames(2, 2, 1).filter((n) => n !== "px_1_0_0");
    expect(() => imageShapeOf(missing)).toThrow(/whole 2x2x1 image.*expected 'px_1_0_0' at position 3, found 'px_1_1_0'/);
  });
});
