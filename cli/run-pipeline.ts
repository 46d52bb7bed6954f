import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { NodeRunView, RunEvent } from "../server/api-types";
import type { StudioConfig } from "../server/config";
import { parsePipelineDocument, PipelineDocumentError } from "../server/engine/pipeline-doc";
import { validatePipeline } from "../server/engine/validate";
import { importPipeline } from "../server/pipelines";
import { getStage } from "../server/stages";
import { loadStagePlugins } from "../server/stages/plugins";
import { startStudio } from "../server/studio";

/**
 * Headless run for CI/CD: the same engine, workers and database as the studio, progress on
 * stdout, the final metrics at the end, and an exit code (0 ok, 1 run failed, 2 bad input).
 */
export async function runPipelineFile(file: string, config: StudioConfig, options: { json: boolean }): Promise<number> {
  const source = path.resolve(file);
  if (!existsSync(source)) {
    console.error(`studio run: ${file} does not exist.`);
    return 2;
  }
  let doc;
  try {
    doc = parsePipelineDocument(readFileSync(source, "utf8"), file);
  } catch (error) {
    if (!(error instanceof PipelineDocumentError)) throw error;
    console.error(`studio run: ${error.message}`);
    for (const issue of error.issues.slice(1)) console.error(`  at ${issue.path || "(root)"}: ${issue.message}`);
    return 2;
  }
  await loadStagePlugins();
  const issues = validatePipeline(doc, getStage);
  if (issues.length) {
    console.error(`studio run: ${file} cannot run:`);
    for (const issue of issues) console.error(`  - ${issue.message}`);
    return 2;
  }

  const studio = await startStudio({ dataDir: config.dataDir, workers: config.workers });
  try {
    const { pipelineId, number, versionId } = importPipeline(studio.db, doc);
    const runId = studio.engine.startRun({ pipelineVersionId: versionId, trigger: "cli" });
    const out = (line: string) => !options.json && console.log(line);
    out(`run #${runId} of "${doc.name}" (pipeline ${pipelineId}, version ${number}) with ${studio.pool.size} workers`);
    const last = new Map<string, string>();
    const printer = (async () => {
      for await (const { event } of studio.engine.events.follow(runId, 0, () => !studio.engine.isActive(runId))) {
        if (event.type === "node") {
          const line = describeNode(event.node);
          if (line && last.get(event.node.nodeId) !== line) {
            last.set(event.node.nodeId, line);
            out(line);
          }
        } else if (event.type === "log" && event.log.level !== "info") {
          out(`  ${event.log.nodeId ?? ""} ${event.log.level}: ${event.log.message}`);
        }
      }
    })();
    const summary = await studio.engine.waitForRun(runId);
    await printer;
    const nodes = studio.engine.nodeViews(runId);
    const metrics = nodes
      .filter((n) => n.outputs)
      .flatMap((n) =>
        Object.entries(n.outputs!)
          .filter(([, ref]) => ref.kind === "metrics")
          .map(([port, ref]) => ({ nodeId: n.nodeId, port, metrics: studio.store.readJson<Record<string, unknown>>(ref.hash) })),
      );
    if (options.json) {
      console.log(JSON.stringify({ run: summary, nodes, metrics: metrics.map((m) => ({ nodeId: m.nodeId, ...headline(m.metrics) })) }, null, 2));
    } else {
      for (const m of metrics) out(`metrics of ${m.nodeId}: ${formatHeadline(headline(m.metrics))}`);
      out(`run #${runId} ${summary.status}${summary.error ? `:\n${summary.error}` : ""}`);
    }
    return summary.status === "succeeded" ? 0 : 1;
  } finally {
    await studio.stop();
  }
}

function describeNode(node: NodeRunView): string | null {
  const tail = [node.device, node.backend].filter(Boolean).join(" · ");
  switch (node.status) {
    case "running":
      return `  ▶ ${node.nodeId} running${tail ? ` on ${tail}` : ""}`;
    case "cached":
      return `  ✓ ${node.nodeId} cached`;
    case "succeeded":
      return `  ✓ ${node.nodeId} done in ${((node.durationMs ?? 0) / 1000).toFixed(2)} s${tail ? ` (${tail})` : ""}`;
    case "failed":
      return `  ✗ ${node.nodeId} failed: ${node.error?.message ?? ""}${node.error?.hint ? `\n    ${node.error.hint}` : ""}`;
    case "skipped":
      return `  - ${node.nodeId} skipped`;
    default:
      return null;
  }
}

function headline(metrics: Record<string, unknown>): Record<string, unknown> {
  const pick = ["task", "accuracy", "r2", "rmse", "mae", "logLoss"];
  const result: Record<string, unknown> = {};
  for (const key of pick) if (metrics[key] !== undefined) result[key] = metrics[key];
  const averages = metrics.averages as { macro?: { f1?: number } } | undefined;
  if (averages?.macro?.f1 !== undefined) result.macroF1 = averages.macro.f1;
  const auc = metrics.rocAuc as { macro?: number } | null | undefined;
  if (auc?.macro !== undefined) result.rocAucMacro = auc.macro;
  return result;
}

function formatHeadline(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toFixed(4)) : String(v)}`)
    .join(" ");
}
