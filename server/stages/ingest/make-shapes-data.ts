/**
 * Generates examples/data/shapes.zip: a small, deterministic image-classification set for the
 * image demo pipeline. 28x28 grayscale PNGs of filled circles, squares and triangles at random
 * positions, sizes, rotations and brightness on a noisy background, one folder per class.
 * A linear model on raw pixels does poorly on it; a small CNN learns it.
 *
 *   npx tsx server/stages/ingest/make-shapes-data.ts [out.zip] [images-per-class]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { zipSync } from "fflate";
import { PNG } from "pngjs";
import { Rng } from "../../ml/rng";

export const SHAPE_CLASSES = ["circle", "square", "triangle"] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** One grayscale image, row-major bytes. */
export function drawShape(rng: Rng, shape: ShapeClass, size = 28): Uint8Array {
  const cx = rng.uniform(size * 0.35, size * 0.65);
  const cy = rng.uniform(size * 0.35, size * 0.65);
  const r = rng.uniform(size * 0.24, size * 0.38);
  const angle = rng.uniform(0, Math.PI * 2);
  const ink = rng.uniform(170, 255);
  const background = rng.uniform(0, 60);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const inside = (px: number, py: number): boolean => {
    // Rotate the point into the shape's frame.
    const dx = px - cx;
    const dy = py - cy;
    const u = dx * cos + dy * sin;
    const v = -dx * sin + dy * cos;
    if (shape === "circle") return u * u + v * v <= r * r;
    if (shape === "square") return Math.abs(u) <= r * 0.85 && Math.abs(v) <= r * 0.85;
    // Equilateral triangle with circumradius r: inside all three edges' half-planes.
    for (let k = 0; k < 3; k++) {
      const a = (k * 2 * Math.PI) / 3;
      if (u * Math.cos(a) + v * Math.sin(a) > r / 2) return false;
    }
    return true;
  };
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // 2x2 supersampling softens the edges the way a real photo's would be.
      let hits = 0;
      for (const oy of [0.25, 0.75]) for (const ox of [0.25, 0.75]) if (inside(x + ox, y + oy)) hits++;
      const value = background + (ink - background) * (hits / 4) + rng.normal() * 12;
      out[y * size + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return out;
}

export function encodeGrayPng(pixels: Uint8Array, size: number): Uint8Array {
  const png = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** `shapes/<class>/<nnn>.png` entries, the same bytes for the same seed. */
export function makeShapesZip(perClass = 300, seed = 2026, size = 28): Uint8Array {
  const rng = new Rng(seed);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < perClass; i++) {
    for (const shape of SHAPE_CLASSES) {
      files[`shapes/${shape}/${String(i + 1).padStart(3, "0")}.png`] = encodeGrayPng(drawShape(rng, shape, size), size);
    }
  }
  // A fixed timestamp keeps the archive byte-identical between runs.
  return zipSync(files, { level: 9, mtime: new Date("2026-01-01T00:00:00Z") });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const out = process.argv[2] ?? "examples/data/shapes.zip";
  const perClass = Number(process.argv[3] ?? 300);
  const zip = makeShapesZip(perClass);
  writeFileSync(out, zip);
  console.log(`Wrote ${perClass * SHAPE_CLASSES.length} images (${(zip.length / 1024).toFixed(0)} KB) to ${out}`);
}
