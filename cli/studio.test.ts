import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { doc, startTestStudio, TEST_STAGES } from "../server/engine/engine-harness";

const ROOT = path.join(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin", "studio.mjs");

function tempDir(prefix: string) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

function studio(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, STUDIO_STAGE_MODULES: TEST_STAGES, STUDIO_WORKERS: "2", ...env },
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function writePipeline(value: unknown): string {
  const file = path.join(tempDir("cli-pipeline-"), "p.pipeline.json");
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

describe("studio run (headless)", () => {
  it("runs the Iris example, prints per-node progress and the final metrics, exits 0", () => {
    const data = tempDir("cli-data-");
    const { code, out } = studio(["run", "examples/iris.pipeline.json", "--data", data]);
    expect(code).toBe(0);
    expect(out).toMatch(/✓ load_csv done in/);
    expect(out).toMatch(/✓ evaluate done in/);
    const accuracy = Number(/metrics of evaluate: .*accuracy=([0-9.]+)/.exec(out)?.[1]);
    expect(accuracy).toBeGreaterThan(0.85);
    expect(out).toMatch(/run #1 succeeded/);
    // The same records as the studio: a second run finds every node in the cache of that data folder.
    const again = studio(["run", "examples/iris.pipeline.json", "--data", data]);
    expect(again.out).toMatch(/✓ train cached/);
    expect(again.out).toMatch(/run #2 succeeded/);
  });

  it("exits 1 and names the node when a stage fails", () => {
    const file = writePipeline(doc([{ id: "broken", stage: "test-crash", params: { mode: "stage-error" } }]));
    const { code, out } = studio(["run", file, "--data", tempDir("cli-data-")]);
    expect(code).toBe(1);
    expect(out).toMatch(/✗ broken failed: Column 'age' has a bad value on line 3\./);
    expect(out).toMatch(/run #1 failed/);
  });

  it("exits 2 with the position of the problem for a malformed pipeline file", () => {
    const notJson = studio(["run", writePipeline("{ nodes: ["), "--data", tempDir("cli-data-")]);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/is not valid JSON/);

    const badNode = studio(["run", writePipeline({ schema: 1, name: "x", nodes: [{ id: "a b", stage: "s", stageVersion: 1 }], edges: [] })]);
    expect(badNode.code).toBe(2);
    expect(badNode.err).toMatch(/malformed at nodes\.0\.id: ids use letters/);

    const future = studio(["run", writePipeline({ schema: 9, name: "x", nodes: [], edges: [] })]);
    expect(future.err).toMatch(/schema 9, newer than this studio understands/);

    const missing = studio(["run", "no/such.pipeline.json"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
  });

  it("exits 2 naming the nodes of an invalid graph, before starting workers", () => {
    const file = writePipeline(
      doc([{ id: "lonely", stage: "test-add" }, { id: "ghost", stage: "no-such-stage" }]),
    );
    const { code, err } = studio(["run", file, "--data", tempDir("cli-data-")]);
    expect(code).toBe(2);
    expect(err).toMatch(/"Add" \(lonely\) needs its input "A" connected/);
    expect(err).toMatch(/\(ghost\) uses an unknown stage "no-such-stage"/);
  });
});

describe("a studio killed mid-run", () => {
  it("shows the run as interrupted after a restart, and resuming reuses the nodes that finished", async () => {
    const data = tempDir("cli-kill-");
    const file = writePipeline(
      doc(
        [
          { id: "first", stage: "test-value", params: { value: 5 } },
          { id: "slow", stage: "test-sleep", params: { ms: 60_000 } },
          { id: "last", stage: "test-add", params: { plus: 1 } },
        ],
        ["first.out->slow.a", "slow.out->last.a"],
        "kill me",
      ),
    );
    const child = spawn(process.execPath, [BIN, "run", file, "--data", data], {
      cwd: ROOT,
      env: { ...process.env, STUDIO_STAGE_MODULES: TEST_STAGES },
    });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        if (out.includes("▶ slow running")) resolve();
      });
      child.on("exit", () => reject(new Error(`the run ended before it could be killed:\n${out}`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const t = await startTestStudio({ dataDir: data });
    try {
      const run = t.studio.engine.runSummary(1);
      expect(run.status).toBe("interrupted");
      const before = Object.fromEntries(t.studio.engine.nodeViews(1).map((n) => [n.nodeId, n]));
      expect(before.first.status).toBe("succeeded");
      expect(before.slow.status).toBe("cancelled");
      expect(before.slow.error?.message).toMatch(/Interrupted: the studio stopped/);

      // Resuming keeps the finished node (same artifact) and starts the interrupted one again.
      t.studio.engine.resume(1);
      await new Promise((r) => setTimeout(r, 300));
      const during = Object.fromEntries(t.studio.engine.nodeViews(1).map((n) => [n.nodeId, n]));
      expect(during.first.status).toBe("succeeded");
      expect(during.first.outputs?.out.hash).toBe(before.first.outputs?.out.hash);
      expect(["queued", "running"]).toContain(during.slow.status);
      t.studio.engine.cancel(1);
      expect((await t.studio.engine.waitForRun(1)).status).toBe("cancelled");
    } finally {
      await t.stop(false);
    }
  });
});
