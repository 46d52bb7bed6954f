/**
 * One side's process of a benchmark case (bench/ml/ours.ts or sklearn_peer.py), driven by the
 * runner through the predict-timing protocol of timing-protocol.ts: wait until it is READY
 * (fitted), hand it `warm` and `time` blocks, then `end` it for its RESULT.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** What a side reports: its RESULT object, or why there is none. */
export type SideResult = Record<string, unknown> | { error: string };

export class SideProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly stages = new Set<string>();
  private partial = "";
  private stderrTail = "";
  private wake: (() => void) | null = null;
  /** Why the process ended, once it has. */
  private ended: string | null = null;

  constructor(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
    this.child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdin!.on("error", () => {}); // a side that died: the close handler says why
    this.child.stdout!.on("data", (chunk: Buffer) => {
      const text = this.partial + chunk.toString("utf8");
      const parts = text.split("\n");
      this.partial = parts.pop()!;
      for (const line of parts) {
        if (line.startsWith("STAGE ")) this.stages.add(line.slice(6).trim());
        else if (/^(READY|OK|RESULT)\b/.test(line)) this.lines.push(line);
      }
      this.notify();
    });
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-4000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.child.kill("SIGKILL");
    }, options.timeoutMs);
    this.child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (this.partial.startsWith("RESULT ")) this.lines.push(this.partial);
      const why = timedOut
        ? `timed out after ${options.timeoutMs / 60_000} min`
        : signal === "SIGKILL"
          ? "killed (SIGKILL: out of memory?)"
          : `exited with ${signal ?? code}`;
      const stderr = this.stderrTail.trim().split("\n").slice(-3).join(" | ").slice(0, 400);
      this.ended = stderr ? `${why}: ${stderr}` : why;
      this.notify();
    });
  }

  /** Whether the side printed `STAGE <name>` (it got that far before whatever came next). */
  reached(stage: string): boolean {
    return this.stages.has(stage);
  }

  /** Waits until the side is fitted: the kinds it can time, or the error that ended it. */
  async ready(): Promise<{ kinds: string[] } | { error: string }> {
    const line = await this.next();
    if (line?.startsWith("READY ")) return { kinds: JSON.parse(line.slice(6)) as string[] };
    return { error: this.errorOf(line) };
  }

  /** Runs one `warm` or `time` block; returns the seconds timed so far for that kind. */
  async block(verb: "warm" | "time", kind: string, seconds: number): Promise<number> {
    this.child.stdin!.write(`${verb} ${kind} ${seconds}\n`);
    const line = await this.next();
    if (!line?.startsWith("OK")) throw new Error(this.errorOf(line));
    return Number(line.slice(3)) || 0;
  }

  /** Ends the timing and returns the side's RESULT. */
  async finish(): Promise<SideResult> {
    this.child.stdin!.end("end\n");
    const line = await this.next();
    if (line?.startsWith("RESULT ")) return parseResult(line);
    return { error: this.errorOf(line) };
  }

  kill(): void {
    if (this.ended === null) this.child.kill("SIGKILL");
  }

  /** The next protocol line, or null once the process has ended without one. */
  private async next(): Promise<string | null> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.ended !== null) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The error a RESULT line reports, or why the process ended. */
  private errorOf(line: string | null): string {
    if (line?.startsWith("RESULT ")) {
      const result = parseResult(line);
      if ("error" in result) return String(result.error);
    }
    return this.ended ?? `unexpected line '${line}'`;
  }
}

function parseResult(line: string): SideResult {
  try {
    return JSON.parse(line.slice(7)) as SideResult;
  } catch {
    return { error: `unreadable RESULT line: ${line.slice(0, 200)}` };
  }
}
