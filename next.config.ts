import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The API, engine and native modules live in the studio process (server/http), not in page
  // bundles; listing them keeps an accidental runtime import from being bundled.
  serverExternalPackages: ["better-sqlite3", "onnxruntime-node", "@duckdb/node-api", "@duckdb/node-bindings"],
  // The floating dev badge covers the canvas controls.
  devIndicators: false,
  // `npm test` type-checks the whole project (pages, server, CLI) with `tsc`; the page build does
  // not repeat it, so starting the studio never fails on a type error in server-only code.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
