import { parseArgs } from "node:util";
import { resolveConfig } from "../server/config";
import { ensureProductionBuild } from "../server/http/build";
import { ROOT_DIR, startHttpServer } from "../server/http/server";
import { startStudio } from "../server/studio";
import { runPipelineFile } from "./run-pipeline";

const USAGE = `Usage:
  studio start [--port 3000] [--host 127.0.0.1] [--data ./data] [--workers N] [--dev]
  studio run <file.pipeline.json> [--data ./data] [--workers N] [--json]

Environment: PORT, STUDIO_HOST, STUDIO_DATA_DIR, STUDIO_WORKERS, STUDIO_TOKEN (required to bind
beyond 127.0.0.1), STUDIO_FILE_ROOTS (extra folders stages may read), STUDIO_TF_BACKEND.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      workers: { type: "string" },
      dev: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = resolveConfig(values);
  if (command === "start") return start(config);
  if (command === "run") {
    if (rest.length !== 1) {
      console.error(`studio run takes one pipeline file.\n\n${USAGE}`);
      return 2;
    }
    return runPipelineFile(rest[0], config, { json: values.json === true });
  }
  console.error(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

async function start(config: ReturnType<typeof resolveConfig>): Promise<number> {
  const log = (message: string) => console.log(`[studio] ${message}`);
  if (!config.dev) ensureProductionBuild(ROOT_DIR, log);
  const studio = await startStudio({ dataDir: config.dataDir, workers: config.workers, seedDemo: true, log });
  const server = await startHttpServer(studio, config);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  log(`data folder: ${config.dataDir}`);
  log(`ready on http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping...");
    server.close();
    server.closeAllConnections();
    await studio.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`studio: ${(error as Error).message}`);
    process.exit(2);
  },
);
