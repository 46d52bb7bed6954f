import { z } from "zod";
import { defineStage, StageError } from "../stages/types";

/**
 * Small stages for engine tests and the overhead benchmark, loaded through STUDIO_STAGE_MODULES.
 * They run in real worker processes like every other stage; they just do very little.
 */
const value = defineStage({
  id: "test-value",
  version: 1,
  title: "Value",
  category: "Ingest",
  description: "Emits a number.",
  params: z.object({ value: z.number().default(1) }),
  inputs: {},
  outputs: { out: { type: "report", label: "Value" } },
  run: (ctx) => ({ out: ctx.writeJson("report", { value: ctx.params.value }) }),
});

const add = defineStage({
  id: "test-add",
  version: 1,
  title: "Add",
  category: "Transform",
  description: "Adds its inputs and a constant.",
  params: z.object({ plus: z.number().default(0) }),
  inputs: { a: { type: "report", label: "A" }, b: { type: "report", label: "B", optional: true } },
  outputs: { out: { type: "report", label: "Sum" } },
  run(ctx) {
    const a = ctx.readJson<{ value: number }>("a").value;
    const b = ctx.inputs.b ? ctx.readJson<{ value: number }>("b").value : 0;
    ctx.log(`adding ${a} + ${b} + ${ctx.params.plus}`);
    return { out: ctx.writeJson("report", { value: a + b + ctx.params.plus }) };
  },
});

const sleep = defineStage({
  id: "test-sleep",
  version: 1,
  title: "Sleep",
  category: "Transform",
  description: "Waits, reporting progress, then passes its input on.",
  params: z.object({ ms: z.number().int().min(0).default(100), spin: z.boolean().default(false) }),
  inputs: { a: { type: "report", label: "A", optional: true } },
  outputs: { out: { type: "report", label: "Out" } },
  async run(ctx) {
    const steps = 10;
    for (let i = 0; i < steps; i++) {
      if (ctx.params.spin) {
        // A stage that never yields to the event loop: only killing the worker stops it.
        const until = Date.now() + ctx.params.ms / steps;
        while (Date.now() < until);
      } else {
        await new Promise((r) => setTimeout(r, ctx.params.ms / steps));
      }
      ctx.progress((i + 1) / steps, `step ${i + 1}/${steps}`);
    }
    const a = ctx.inputs.a ? ctx.readJson<{ value: number }>("a").value : 0;
    return { out: ctx.writeJson("report", { value: a }) };
  },
});

const crash = defineStage({
  id: "test-crash",
  version: 1,
  title: "Crash",
  category: "Transform",
  description: "Exits its worker process, or throws, as told.",
  params: z.object({ mode: z.enum(["exit", "throw", "stage-error"]).default("exit") }),
  inputs: { a: { type: "report", label: "A", optional: true } },
  outputs: { out: { type: "report", label: "Out" } },
  run(ctx) {
    if (ctx.params.mode === "exit") process.exit(3);
    if (ctx.params.mode === "throw") throw new TypeError("boom");
    const report = ctx.writeJson("report", { passed: false });
    throw new StageError("Column 'age' has a bad value on line 3.", {
      field: "mode",
      line: 3,
      hint: "Fix line 3.",
      outputs: { out: report },
    });
  },
});

/** Fails until a marker file exists, creating it: the second attempt succeeds (retry tests). */
const flaky = defineStage({
  id: "test-flaky",
  version: 1,
  title: "Flaky",
  category: "Transform",
  description: "Fails on its first attempt.",
  params: z.object({ marker: z.string() }),
  inputs: {},
  outputs: { out: { type: "report", label: "Out" } },
  async run(ctx) {
    const { existsSync, writeFileSync } = await import("node:fs");
    if (!existsSync(ctx.params.marker)) {
      writeFileSync(ctx.params.marker, "1");
      throw new Error("first attempt fails");
    }
    return { out: ctx.writeJson("report", { value: 1 }) };
  },
});

const gpu = defineStage({
  id: "test-gpu",
  version: 1,
  title: "GPU probe",
  category: "Train",
  description: "Reports the device its worker is bound to; `want` is the device it asks for.",
  params: z.object({ tag: z.string().default(""), want: z.enum(["cpu", "gpu"]).default("gpu") }),
  inputs: {},
  outputs: { out: { type: "report", label: "Device" } },
  prefers: (p) => p.want,
  run(ctx) {
    const device = ctx.device.kind === "gpu" ? `gpu:${ctx.device.index}` : "cpu";
    ctx.reportBackend(device);
    return { out: ctx.writeJson("report", { device, cuda: process.env.CUDA_VISIBLE_DEVICES ?? null }) };
  },
});

export default [value, add, sleep, crash, flaky, gpu];
