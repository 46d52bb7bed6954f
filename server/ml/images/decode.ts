/**
 * PNG and JPEG bytes to pixels, in pure JavaScript (pngjs, jpeg-js): no native module, so the same
 * code decodes in a worker, a thread or the CLI on any machine.
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { MlInputError } from "../errors";

/** Decoded pixels, 8 bits per channel, row-major RGBA. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg"] as const;

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Largest image accepted, in pixels (a 100-megapixel scan would need 400 MB before resizing). */
const MAX_PIXELS = 50_000_000;

/** Decodes by content, not by extension (a PNG named .jpg still loads); `name` is for messages. */
export function decodeImage(bytes: Uint8Array, name: string): RgbaImage {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new MlInputError(`${name} is not a PNG or JPEG image (its first bytes say otherwise); remove it or convert it`);
  let image: RgbaImage;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      image = { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } else {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      image = { width: decoded.width, height: decoded.height, data: decoded.data };
    }
  } catch (error) {
    throw new MlInputError(`${name} could not be decoded as ${isPng ? "PNG" : "JPEG"} (${(error as Error).message}); the file may be truncated or corrupt`);
  }
  if (image.width < 1 || image.height < 1) throw new MlInputError(`${name} has no pixels (${image.width}x${image.height})`);
  if (image.width * image.height > MAX_PIXELS) throw new MlInputError(`${name} is ${image.width}x${image.height}, larger than the ${MAX_PIXELS / 1e6} megapixels accepted; shrink it first`);
  return image;
}
