import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getColumn } from "../../artifacts/table";
import { stageHarness } from "../testing";
import { StageError } from "../types";
import { loadCsv } from "./load-csv";

function setup(content: string | Buffer, name = "data.csv") {
  const h = stageHarness();
  const file = path.join(h.dataDir, name);
  writeFileSync(file, content);
  return { h, file };
}

async function load(content: string | Buffer, extra: Record<string, unknown> = {}) {
  const { h, file } = setup(content);
  const out = await h.run(loadCsv, { path: file, ...extra });
  return { h, out, table: h.readTable(out.table) };
}

async function loadError(content: string, extra: Record<string, unknown> = {}): Promise<StageError> {
  const { h, file } = setup(content);
  const error = await h.run(loadCsv, { path: file, ...extra }).catch((e) => e);
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

describe("load-csv", () => {
  it("reads a simple file and infers number and string columns", async () => {
    const { table, out, h } = await load("id,age,city\n1,34,Oslo\n2,NA,Bergen\n3,28.5,\n");
    expect(table.rowCount).toBe(3);
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ["id", "number"],
      ["age", "number"],
      ["city", "string"],
    ]);
    expect(Array.from(getColumn(table, "age")!.values as Float64Array)).toEqual([34, Number.NaN, 28.5]);
    expect(getColumn(table, "city")!.values).toEqual(["Oslo", "Bergen", null]);
    expect(out.table.kind).toBe("table");
    expect(out.table.summary.rows).toBe(3);
    const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
    expect(logs.some((m) => m.includes("age: number (1 missing)") && m.includes("city: string (1 missing)"))).toBe(true);
    expect(h.events.some((e) => e.type === "progress" && e.fraction === 1)).toBe(true);
  });

  it("handles a BOM, CRLF line ends and quoted fields holding delimiters and newlines", async () => {
    const { table } = await load('\uFEFFname,note,score\r\n"Smith, J","line one\r\nline two",3\r\nLee,"say ""hi""",4\r\n');
    expect(table.columns.map((c) => c.name)).toEqual(["name", "note", "score"]);
    expect(getColumn(table, "name")!.values).toEqual(["Smith, J", "Lee"]);
    expect(getColumn(table, "note")!.values).toEqual(["line one\r\nline two", 'say "hi"']);
    expect(Array.from(getColumn(table, "score")!.values as Float64Array)).toEqual([3, 4]);
  });

  it("detects semicolon and tab delimiters, and honours an explicit one", async () => {
    expect((await load("a;b\n1;2\n3;4\n")).table.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect((await load("a\tb\n1\t2\n")).table.columns.map((c) => c.name)).toEqual(["a", "b"]);
    const forced = await load("a;b,c\n1;2,3\n", { delimiter: "," });
    expect(forced.table.columns.map((c) => c.name)).toEqual(["a;b", "c"]);
    expect(forced.table.columns[0].kind).toBe("string");
  });

  it("keeps a column of numbers with one word in it as text", async () => {
    const { table } = await load("x\n1\n2\nthree\n");
    expect(table.columns[0].kind).toBe("string");
    expect(table.columns[0].values).toEqual(["1", "2", "three"]);
  });

  it("does not read hex, Infinity or blanks-with-spaces as numbers", async () => {
    const { table } = await load("h,i\n0x10,Infinity\n1,2\n");
    expect(table.columns.map((c) => c.kind)).toEqual(["string", "string"]);
  });

  it("names columns column_1.. when there is no header, and reads line 1 as data", async () => {
    const { table } = await load("1,a\n2,b\n", { header: false });
    expect(table.columns.map((c) => c.name)).toEqual(["column_1", "column_2"]);
    expect(table.rowCount).toBe(2);
  });

  it("with inferTypes off reads everything as text unless columnTypes says number", async () => {
    const { table } = await load("a,b\n1,2\n3,4\n", { inferTypes: false, columnTypes: { b: "number" } });
    expect(table.columns.map((c) => c.kind)).toEqual(["string", "number"]);
    expect(table.columns[0].values).toEqual(["1", "3"]);
  });

  it("columnTypes can force a numeric-looking column to text (zip codes)", async () => {
    const { table } = await load("zip\n0150\n5003\n", { columnTypes: { zip: "string" } });
    expect(table.columns[0].values).toEqual(["0150", "5003"]);
  });

  it("reads an uploaded file by its artifact id", async () => {
    const h = stageHarness();
    const { hash } = h.store.put(Buffer.from("a,b\n1,x\n"));
    const out = await h.run(loadCsv, { source: "upload", uploadId: hash });
    expect(h.readTable(out.table).rowCount).toBe(1);
  });

  it("declares the path as an external file only when reading from a path", () => {
    expect(loadCsv.externalFiles!(loadCsv.params.parse({ path: "x.csv" }))).toEqual(["x.csv"]);
    expect(loadCsv.externalFiles!(loadCsv.params.parse({ source: "upload" }))).toEqual([]);
  });

  describe("errors", () => {
    it("a ragged row names its physical line, counting quoted newlines and blank lines", async () => {
      // line 1 header, lines 2-3 one record with a quoted newline, line 4 blank, line 5 ragged.
      const error = await loadError('a,b,c\n1,"x\ny",3\n\n4,5,6,7\n');
      expect(error.message).toContain("line 5 has 4 fields, expected 3 as in the header");
      expect(error.line).toBe(5);
    });

    it("a non-number in a column declared number names line, column and value", async () => {
      const error = await loadError("name,age\nann,3\nbob,abc\n", { columnTypes: { age: "number" } });
      expect(error.message).toContain("line 3, column 'age': 'abc' is not a number");
      expect(error.line).toBe(3);
      expect(error.column).toBe("age");
    });

    it("an empty file", async () => {
      const error = await loadError("");
      expect(error.message).toMatch(/is empty/);
    });

    it("a file with only a header says it has 0 rows", async () => {
      const error = await loadError("a,b,c\n");
      expect(error.message).toContain("0 data rows");
    });

    it("duplicate header names", async () => {
      const error = await loadError("id,x,id\n1,2,3\n");
      expect(error.message).toContain("Columns 1 and 3 are both named 'id'");
    });

    it("an empty header name", async () => {
      const error = await loadError("id,,z\n1,2,3\n");
      expect(error.message).toContain("Column 2 has an empty name");
    });

    it("an unterminated quote names the line where the field starts", async () => {
      const error = await loadError('a,b\n1,2\n3,"oops\n5,6\n');
      expect(error.message).toContain("line 3");
      expect(error.message).toContain("closing quote");
    });

    it("a columnTypes entry for a column the file lacks", async () => {
      const error = await loadError("a\n1\n", { columnTypes: { b: "number" } });
      expect(error.field).toBe("columnTypes");
      expect(error.message).toContain("'b'");
    });

    it("a missing file names the path field", async () => {
      const h = stageHarness();
      const error = await h.run(loadCsv, { path: path.join(h.dataDir, "nope.csv") }).catch((e) => e);
      expect(error).toBeInstanceOf(StageError);
      expect(error.field).toBe("path");
      expect(error.message).toMatch(/^Field 'path': File not found/);
    });

    it("upload chosen but nothing uploaded", async () => {
      const h = stageHarness();
      const error = await h.run(loadCsv, { source: "upload" }).catch((e) => e);
      expect(error.field).toBe("uploadId");
    });

    it("rejects a malformed upload id and an unknown delimiter at validation", () => {
      expect(loadCsv.params.safeParse({ uploadId: "abc" }).success).toBe(false);
      expect(loadCsv.params.safeParse({ delimiter: ":" }).success).toBe(false);
    });
  });

  it("loads the bundled example data", async () => {
    const h = stageHarness();
    const iris = h.readTable((await h.run(loadCsv, { path: "examples/data/iris.csv" })).table);
    expect(iris.rowCount).toBe(150);
    expect(iris.columns.map((c) => c.kind)).toEqual(["number", "number", "number", "number", "string"]);
    const churn = h.readTable((await h.run(loadCsv, {})).table);
    expect(churn.rowCount).toBeGreaterThan(900);
    expect(getColumn(churn, "churn")!.kind).toBe("string");
  });
});
