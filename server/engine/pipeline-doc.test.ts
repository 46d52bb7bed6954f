import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { CURRENT_SCHEMA, MIGRATIONS, parsePipelineDocument, PipelineDocumentError } from "./pipeline-doc";

const EXAMPLES = path.join(import.meta.dirname, "..", "..", "examples");

describe("pipeline documents", () => {
  it("parses every shipped example", () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".pipeline.json"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const parsed = parsePipelineDocument(readFileSync(path.join(EXAMPLES, file), "utf8"), file);
      expect(parsed.schema).toBe(CURRENT_SCHEMA);
      // Handle ids are port names, never encoded JSON (FORMATS.md §6).
      for (const edge of parsed.edges) expect(edge.sourcePort).toMatch(/^[a-z_]+$/);
    }
  });

  it("applies defaults for optional fields", () => {
    const parsed = parsePipelineDocument({ schema: 1, name: "p", nodes: [{ id: "a", stage: "s", stageVersion: 1 }], edges: [] });
    expect(parsed.nodes[0]).toEqual({ id: "a", stage: "s", stageVersion: 1, params: {}, position: { x: 0, y: 0 } });
  });

  it("says where a document is malformed", () => {
    expect(() => parsePipelineDocument("[1,2]")).toThrow(/must be a JSON object/);
    expect(() => parsePipelineDocument({ name: "p", nodes: [], edges: [] })).toThrow(/no numeric "schema" field/);
    try {
      parsePipelineDocument({ schema: 1, name: "p", nodes: [], edges: [{ id: "e", source: "a" }] });
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineDocumentError);
      expect((error as PipelineDocumentError).issues[0].path).toBe("edges.0.sourcePort");
    }
  });

  it("upgrades an older schema through the migration table", () => {
    // Schema 1 is the first published format; exercise the mechanism with a temporary step.
    MIGRATIONS[0] = (doc) => ({ ...doc, schema: 1, edges: doc.links });
    try {
      const parsed = parsePipelineDocument({ schema: 0, name: "old", nodes: [], links: [] });
      expect(parsed.edges).toEqual([]);
    } finally {
      delete MIGRATIONS[0];
    }
    expect(() => parsePipelineDocument({ schema: 0, name: "old", nodes: [], edges: [] })).toThrow(/no upgrade path/);
  });
});
