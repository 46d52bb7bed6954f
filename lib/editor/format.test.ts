import { describe, expect, it } from "vitest";
import { firstLine, formatDevice, formatDuration, relativeTime } from "./format";

describe("formatDuration", () => {
  it("picks a unit by size", () => {
    expect(formatDuration(340)).toBe("340 ms");
    expect(formatDuration(1_234)).toBe("1.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(3_900_000)).toBe("1 h 5 min");
    expect(formatDuration(null)).toBe("");
  });
});

describe("formatDevice", () => {
  it("names the device, then the backend when it adds something", () => {
    expect(formatDevice("cpu", "wasm")).toBe("CPU · wasm");
    expect(formatDevice("gpu:0", null)).toBe("GPU 0");
    expect(formatDevice("GPU 1", "gpu")).toBe("GPU 1");
    expect(formatDevice(null, "wasm")).toBe("wasm");
    expect(formatDevice(null, null)).toBe("");
  });
});

describe("relativeTime", () => {
  it("counts back from now", () => {
    const now = 10_000_000_000;
    expect(relativeTime(now - 10_000, now)).toBe("just now");
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 min ago");
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3 h ago");
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe("2 d ago");
  });
});

describe("firstLine", () => {
  it("keeps the first line of a multi-line error", () => {
    expect(firstLine("boom\n  at x")).toBe("boom");
    expect(firstLine(null)).toBe("");
  });
});
