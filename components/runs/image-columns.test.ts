import { describe, expect, it } from "vitest";
import { pixelColumnNames } from "@/server/ml/images/pixel-columns";
import { imageLayout, rowToRgba } from "./image-columns";

const cols = (names: string[]) => names.map((name) => ({ name }));

describe("image columns in a table preview", () => {
  it("finds the image among other columns and guesses 0..1 values", () => {
    const columns = cols(["file", "label", ...pixelColumnNames(1, 2, 1)]);
    const layout = imageLayout(columns, [["a.png", "cat", 0.5, 1]])!;
    expect(layout.shape).toEqual({ height: 1, width: 2, channels: 1 });
    expect(layout.pixelIndices).toEqual([2, 3]);
    expect(layout.toByte).toBe(255);
    expect(Array.from(rowToRgba(["a.png", "cat", 0.5, 1], layout))).toEqual([128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it("keeps RGB channels and raw 0..255 values", () => {
    const columns = cols(pixelColumnNames(1, 1, 3));
    const layout = imageLayout(columns, [[10, 20, 200]])!;
    expect(layout.toByte).toBe(1);
    expect(Array.from(rowToRgba([10, 20, 200], layout))).toEqual([10, 20, 200, 255]);
  });

  it("is null for ordinary tables and broken pixel sets", () => {
    expect(imageLayout(cols(["a", "b"]), [])).toBeNull();
    expect(imageLayout(cols(["px_0_0_0", "px_1_1_0"]), [])).toBeNull();
  });
});
