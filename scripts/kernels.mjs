/**
 * Builds the WebAssembly kernels from their AssemblyScript sources (the inner loops of
 * gradient boosting). `npm run build:kernels` writes the .wasm next to each source; the runtime
 * loads only the .wasm, and a test rebuilds each one and checks that it matches what is committed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

export const KERNEL_SOURCES = ["server/ml/trees/assembly/boosting.ts"];

/** The .wasm bytes of one AssemblyScript source (a path relative to the repository root). */
export async function compileKernel(source) {
  let wasm = null;
  const { error, stderr } = await asc.main(
    [
      source,
      "--outFile", "kernel.wasm",
      "-O3",
      "--runtime", "stub",
      "--noAssert",
      // The fit's WebAssembly.Memory, shared with its kernel threads (hgb-memory.ts).
      "--importMemory",
      "--sharedMemory",
      "--initialMemory", "1",
      "--maximumMemory", "65536",
      "--enable", "threads",
    ],
    {
      readFile: async (name, baseDir) => {
        try {
          return await readFile(`${baseDir}/${name}`, "utf8");
        } catch {
          return null;
        }
      },
      writeFile: async (name, contents) => {
        if (name.endsWith(".wasm")) wasm = contents;
      },
      listFiles: async () => [],
      baseDir: root,
    },
  );
  if (error) throw new Error(`${source} did not compile: ${error.message}\n${stderr.toString()}`);
  if (!wasm) throw new Error(`${source}: the compiler wrote no .wasm`);
  return wasm;
}

export function wasmPath(source) {
  return `${root}/${source.replace(/\.ts$/, ".wasm")}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const source of KERNEL_SOURCES) {
    const bytes = await compileKernel(source);
    await writeFile(wasmPath(source), bytes);
    console.log(`${wasmPath(source)}: ${bytes.length} bytes`);
  }
}
