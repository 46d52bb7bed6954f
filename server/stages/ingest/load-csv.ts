import Papa from "papaparse";
import { z } from "zod";
import { makeTable, type TableColumn } from "../../artifacts/table";
import { UserPathError } from "../../files";
import { fileSourceExternalFiles, fileSourceParams } from "../file-source";
import { defineStage, StageError } from "../types";

/** Cells read as a missing value (in number and in text columns). */
const MISSING_TOKENS = new Set(["", "NA", "NaN", "nan", "null", "NULL"]);
/** A plain decimal number: no hex, no "Infinity", no thousands separators. */
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const params = z.object({
  ...fileSourceParams({ defaultSource: "path", defaultPath: "examples/data/churn.csv", uploadLabel: "Uploaded file", accept: ".csv,.tsv,.txt,text/csv" }),
  delimiter: z.enum(["auto", ",", ";", "\t", "|"]).default("auto").describe("Delimiter"),
  header: z.boolean().default(true).describe("First line holds the column names"),
  inferTypes: z.boolean().default(true).describe("Detect number columns"),
  columnTypes: z
    .record(z.string(), z.enum(["number", "string"]))
    .optional()
    .describe("Column types (override detection)"),
});

export type LoadCsvParams = z.output<typeof params>;

/** A parsed record and the 1-based physical line it starts on. */
interface Row {
  fields: string[];
  line: number;
}

export const loadCsv = defineStage({
  id: "load-csv",
  version: 1,
  title: "Load CSV",
  category: "Ingest",
  description: "Reads a CSV file into a table, detecting the delimiter and which columns hold numbers.",
  params,
  inputs: {},
  outputs: { table: { type: "table", label: "Table" } },
  externalFiles: fileSourceExternalFiles,
  run(ctx) {
    const p = ctx.params;
    const file = readSource(ctx, p);
    ctx.progress(0.1, "parsing");
    let text = file.bytes.toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === "") {
      throw new StageError(`${file.name} is empty. Choose a CSV file with a header line and at least one row.`, {
        field: p.source === "upload" ? "uploadId" : "path",
      });
    }

    const { rows, delimiter } = parseRows(text, p.delimiter === "auto" ? "" : p.delimiter, ctx.warn);
    ctx.progress(0.6, "building columns");

    const names = p.header ? headerNames(rows[0]) : rows[0].fields.map((_, i) => `column_${i + 1}`);
    const dataRows = p.header ? rows.slice(1) : rows;
    if (dataRows.length === 0) {
      throw new StageError(
        `${file.name} has a header line but 0 data rows. Add rows below the header, or untick "First line holds the column names" if line 1 is data.`,
        { line: 1 },
      );
    }
    const expected = names.length;
    for (const row of dataRows) {
      if (row.fields.length !== expected) {
        throw new StageError(
          `line ${row.line} has ${row.fields.length} field${row.fields.length === 1 ? "" : "s"}, expected ${expected} as in the ${p.header ? "header" : "first line"}. ` +
            `Check the delimiter ('${printable(delimiter)}') and quoting on that line.`,
          { line: row.line },
        );
      }
    }

    const declared = p.columnTypes ?? {};
    const unknown = Object.keys(declared).filter((n) => !names.includes(n));
    if (unknown.length) {
      throw new StageError(
        `Column types name ${unknown.map((n) => `'${n}'`).join(", ")}, which ${unknown.length === 1 ? "is" : "are"} not in the file's header (${names.map((n) => `'${n}'`).join(", ")}). Fix the names in "Column types".`,
        { field: "columnTypes", column: unknown[0] },
      );
    }

    const columns: TableColumn[] = names.map((name, c) => {
      const kind = declared[name] ?? (p.inferTypes && looksNumeric(dataRows, c) ? "number" : "string");
      if (kind === "number") {
        const values = new Float64Array(dataRows.length);
        for (let r = 0; r < dataRows.length; r++) {
          const raw = dataRows[r].fields[c].trim();
          if (MISSING_TOKENS.has(raw)) values[r] = Number.NaN;
          else if (NUMBER_PATTERN.test(raw)) values[r] = Number(raw);
          else {
            throw new StageError(
              `line ${dataRows[r].line}, column '${name}': '${raw}' is not a number. Fix the value, or set the column's type to "string" in "Column types".`,
              { line: dataRows[r].line, column: name, field: "columnTypes" },
            );
          }
        }
        return { name, kind, values };
      }
      const values = dataRows.map((row) => {
        const raw = row.fields[c];
        return MISSING_TOKENS.has(raw.trim()) ? null : raw;
      });
      return { name, kind: "string", values };
    });

    const table = makeTable(columns);
    const schema = columns
      .map((col) => {
        const missing = col.kind === "number" ? col.values.filter(Number.isNaN).length : col.values.filter((v) => v === null).length;
        return `${col.name}: ${col.kind}${missing ? ` (${missing} missing)` : ""}`;
      })
      .join(", ");
    ctx.log(`Read ${table.rowCount} rows x ${columns.length} columns from ${file.name} (delimiter '${printable(delimiter)}').`);
    ctx.log(`Schema: ${schema}`);
    ctx.progress(1);
    return { table: ctx.writeTable(table) };
  },
});

function readSource(ctx: { readUserFile(s: { path?: string; uploadId?: string }): { bytes: Buffer; name: string } }, p: LoadCsvParams) {
  if (p.source === "upload") {
    if (!p.uploadId) {
      throw new StageError("No file uploaded yet: upload a CSV file, or switch the source to a path.", { field: "uploadId" });
    }
    try {
      return ctx.readUserFile({ uploadId: p.uploadId });
    } catch (error) {
      if (error instanceof StageError) throw error;
      throw new StageError(`The uploaded file ${p.uploadId.slice(0, 12)} could not be read (${(error as Error).message}). Upload it again.`, {
        field: "uploadId",
      });
    }
  }
  try {
    return ctx.readUserFile({ path: p.path });
  } catch (error) {
    if (error instanceof StageError) throw error;
    const message = error instanceof UserPathError ? error.message : `${p.path} could not be read: ${(error as Error).message}`;
    throw new StageError(`Field 'path': ${message}`, { field: "path" });
  }
}

/** Parses all records, remembering the physical line each one starts on (for error messages). */
function parseRows(text: string, delimiter: string, warn: (m: string) => void): { rows: Row[]; delimiter: string } {
  const rows: Row[] = [];
  // Count line breaks incrementally between record starts so the whole pass stays linear.
  let scanned = 0;
  let line = 1;
  const lineAt = (offset: number) => {
    for (; scanned < offset; scanned++) {
      const ch = text.charCodeAt(scanned);
      if (ch === 10 || (ch === 13 && text.charCodeAt(scanned + 1) !== 10)) line++;
    }
    return line;
  };
  let previousEnd = 0;
  let detected = delimiter;
  let quoteProblem: { line: number; missing: boolean } | null = null;

  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: true,
    step(result) {
      detected = result.meta.delimiter;
      // A record starts after the previous one's end, past any blank lines that were skipped.
      let start = previousEnd;
      while (start < text.length && (text[start] === "\n" || text[start] === "\r")) start++;
      const startLine = lineAt(start);
      for (const error of result.errors) {
        if (error.type === "Quotes" && !quoteProblem) quoteProblem = { line: startLine, missing: error.code === "MissingQuotes" };
      }
      rows.push({ fields: result.data, line: startLine });
      previousEnd = result.meta.cursor;
    },
  });

  const problem = quoteProblem as { line: number; missing: boolean } | null;
  if (problem?.missing) {
    throw new StageError(
      `line ${problem.line}: a quoted field is never closed, so the rest of the file would be read as one value. Add the closing quote (") on that line.`,
      { line: problem.line },
    );
  }
  if (problem) warn(`line ${problem.line}: a quote inside a field is not escaped as ""; the value was read as written.`);
  if (rows.length === 0) throw new StageError("The file holds no records. Choose a CSV file with a header line and rows.", { field: "path" });
  return { rows, delimiter: detected || "," };
}

function headerNames(row: Row): string[] {
  const names = row.fields.map((n) => n.trim());
  const firstIndex = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === "") {
      throw new StageError(
        `Column ${i + 1} has an empty name in the header (line ${row.line}). Give every column a name, or untick "First line holds the column names".`,
        { line: row.line },
      );
    }
    const earlier = firstIndex.get(name);
    if (earlier !== undefined) {
      throw new StageError(
        `Columns ${earlier + 1} and ${i + 1} are both named '${name}' in the header (line ${row.line}). Rename one of them.`,
        { line: row.line, column: name },
      );
    }
    firstIndex.set(name, i);
  });
  return names;
}

function looksNumeric(rows: Row[], c: number): boolean {
  for (const row of rows) {
    const raw = row.fields[c].trim();
    if (!MISSING_TOKENS.has(raw) && !NUMBER_PATTERN.test(raw)) return false;
  }
  return true;
}

function printable(delimiter: string): string {
  return delimiter === "\t" ? "\\t" : delimiter;
}
