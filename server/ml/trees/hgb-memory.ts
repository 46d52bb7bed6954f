/**
 * The memory of one histogram-boosting fit: a shared WebAssembly.Memory that holds the bin codes,
 * row indices, gradients, hessians and histograms, so that the WebAssembly loops of the fit
 * (assembly/boosting.ts) read and write them in place, on the main thread and on the kernel
 * threads alike. Everything else reads them through typed-array views of the same memory.
 *
 * No Node-only imports beyond fs: this runs inside worker threads too (hgb-worker.ts).
 */
import { readFileSync } from "node:fs";
import { MlInputError } from "../errors";

const PAGE = 65_536;
/** WebAssembly's 32-bit address space: 4 GiB. */
const MAX_PAGES = 65_536;
const ALIGN = 64;

/** The exports of assembly/boosting.ts; every `*At` argument is a byte offset in the memory. */
export interface BoostingLoops {
  node2(codesAt: number, n: number, f: number, idxAt: number, start: number, end: number, gradAt: number, hessAt: number, outAt: number, o0: number, o1: number): void;
  node2NoHessians(codesAt: number, n: number, f: number, idxAt: number, start: number, end: number, gradAt: number, outAt: number, o0: number, o1: number): void;
  root2(codesAt: number, n: number, f: number, gradAt: number, hessAt: number, outAt: number, o0: number, o1: number): void;
  root2NoHessians(codesAt: number, n: number, f: number, gradAt: number, outAt: number, o0: number, o1: number): void;
  one(codesAt: number, n: number, f: number, idxAt: number, start: number, end: number, gradAt: number, hessAt: number, outAt: number, o: number, hessians: number, counts: number): void;
  countRows(codesAt: number, n: number, f: number, outAt: number, o: number): void;
  classGradients(rawAt: number, classesAt: number, n: number, from: number, to: number, K: number, gradAt: number, hessAt: number, scratchAt: number): void;
  partition(codesAt: number, n: number, f: number, bin: number, idxAt: number, scratchAt: number, start: number, end: number): number;
  subtract(parentAt: number, childAt: number, from: number, to: number): void;
  scanSplits(histAt: number, last: number, hSlot: number, f: number, G: number, H: number, N: number, lossNode: number, l2: number, minLeaf: number, minHessian: number, resultAt: number): void;
}

let compiled: WebAssembly.Module | null = null;

/** The WebAssembly loops, instantiated over `memory` (once per thread and fit). */
export function boostingLoops(memory: WebAssembly.Memory): BoostingLoops {
  compiled ??= new WebAssembly.Module(readFileSync(new URL("./assembly/boosting.wasm", import.meta.url)));
  const abort = () => {
    throw new Error("the histogram kernel aborted");
  };
  return new WebAssembly.Instance(compiled, { env: { memory, abort } }).exports as unknown as BoostingLoops;
}

/** A bump allocator over one shared WebAssembly.Memory; it grows the memory as needed and never frees. */
export class HgbMemory {
  readonly memory: WebAssembly.Memory;
  /** The first page stays free: offset 0 means "no index array" to the loops. */
  private top = PAGE;

  constructor(expectedBytes: number) {
    const initial = Math.min(MAX_PAGES, Math.ceil((PAGE + expectedBytes) / PAGE));
    this.memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
  }

  /** The byte offset of `bytes` new bytes, 64-byte aligned, zero-filled. */
  alloc(bytes: number): number {
    const at = this.top;
    const top = at + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (top > have) {
      const pages = Math.ceil((top - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new MlInputError(
          `gradient boosting needs more than 4 GiB for its bin codes, gradients and histograms: use fewer rows or features, or fewer leaves per tree`,
        );
      }
      this.memory.grow(pages);
    }
    this.top = top;
    return at;
  }

  /** The memory as it is now (a grown memory has a new, longer buffer; older views stay valid). */
  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }
}
