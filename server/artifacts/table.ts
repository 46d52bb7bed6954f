import {
  Float64,
  RecordBatch,
  RecordBatchFileReader,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  type Vector,
} from "apache-arrow";

/**
 * The studio's in-memory table: named, typed columns. Numbers are Float64Array with NaN for a
 * missing value (fast to scan and feed to models); strings are arrays with null for missing.
 * On disk a table is Arrow IPC (file format), where missing values become Arrow nulls so pandas,
 * Polars and DuckDB read them as missing too.
 */
export type NumberColumn = { name: string; kind: "number"; values: Float64Array };
export type StringColumn = { name: string; kind: "string"; values: (string | null)[] };
export type TableColumn = NumberColumn | StringColumn;
export type ColumnKind = TableColumn["kind"];

export interface DataTable {
  columns: TableColumn[];
  rowCount: number;
}

/** Rows per Arrow record batch: the unit a preview page is read in. */
export const ROWS_PER_BATCH = 16_384;

export function makeTable(columns: TableColumn[]): DataTable {
  const rowCount = columns.length ? columns[0].values.length : 0;
  const seen = new Set<string>();
  for (const column of columns) {
    if (column.values.length !== rowCount) {
      throw new Error(`Column "${column.name}" has ${column.values.length} values, expected ${rowCount}`);
    }
    if (seen.has(column.name)) throw new Error(`Duplicate column name "${column.name}"`);
    seen.add(column.name);
  }
  return { columns, rowCount };
}

export function getColumn(table: DataTable, name: string): TableColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

export function isMissing(column: TableColumn, row: number): boolean {
  const v = column.values[row];
  return column.kind === "number" ? Number.isNaN(v as number) : v === null;
}

/** Keeps the rows whose indices are given, in that order. */
export function takeRows(table: DataTable, rows: ArrayLike<number>): DataTable {
  const n = rows.length;
  return makeTable(
    table.columns.map((column): TableColumn => {
      if (column.kind === "number") {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
        return { name: column.name, kind: "number", values };
      }
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
      return { name: column.name, kind: "string", values };
    }),
  );
}

function numberVector(values: Float64Array): Vector {
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) nullCount++;
  if (nullCount === 0) return makeVector(values);
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({ type: new Float64(), length: values.length, nullCount, nullBitmap, data: values }));
}

/**
 * Builds an Arrow Utf8 vector directly from offsets and UTF-8 bytes: several times faster than
 * apache-arrow's generic builder (vectorFromArray) on large text columns.
 */
function stringVector(values: (string | null)[]): Vector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(64, n * 8));
  let nullCount = 0;
  const nullBitmap = new Uint8Array(Math.ceil(n / 8));
  const encoder = new TextEncoder();
  let position = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      nullCount++;
    } else {
      nullBitmap[i >> 3] |= 1 << (i & 7);
      // A UTF-16 code unit encodes to at most 3 UTF-8 bytes.
      if (position + v.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, position + v.length * 3));
        grown.set(bytes.subarray(0, position));
        bytes = grown;
      }
      position += encoder.encodeInto(v, bytes.subarray(position)).written;
    }
    offsets[i + 1] = position;
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length: n,
      nullCount,
      nullBitmap: nullCount ? nullBitmap : undefined,
      valueOffsets: offsets,
      data: bytes.subarray(0, position),
    }),
  );
}

/** Serialises a table to Arrow IPC (file format, batches of ROWS_PER_BATCH rows). */
export function tableToArrow(table: DataTable): Uint8Array {
  const batches: RecordBatch[] = [];
  const vectors: Record<string, Vector> = {};
  for (const column of table.columns) {
    vectors[column.name] =
      column.kind === "number" ? numberVector(column.values) : stringVector(column.values);
  }
  const whole = new Table(vectors);
  if (table.rowCount <= ROWS_PER_BATCH) return tableToIPC(whole, "file");
  for (let start = 0; start < table.rowCount; start += ROWS_PER_BATCH) {
    batches.push(...whole.slice(start, Math.min(start + ROWS_PER_BATCH, table.rowCount)).batches);
  }
  return tableToIPC(new Table(batches), "file");
}

function columnFromVector(name: string, vector: Vector): TableColumn {
  const length = vector.length;
  if (!(vector.type instanceof Utf8)) {
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const v = vector.get(i);
      values[i] = v === null || v === undefined ? Number.NaN : Number(v);
    }
    return { name, kind: "number", values };
  }
  const values = new Array<string | null>(length);
  for (let i = 0; i < length; i++) {
    const v = vector.get(i);
    values[i] = v === null || v === undefined ? null : String(v);
  }
  return { name, kind: "string", values };
}

/** Reads a whole Arrow IPC table (file or stream format) into a DataTable. */
export function tableFromArrow(bytes: Uint8Array): DataTable {
  const reader = RecordBatchFileReader.from(bytes);
  const arrow = new Table(reader.readAll());
  return makeTable(arrow.schema.fields.map((field) => columnFromVector(field.name, arrow.getChild(field.name)!)));
}

export interface TablePage {
  columns: { name: string; kind: ColumnKind }[];
  rowCount: number;
  offset: number;
  rows: (number | string | null)[][];
}

/**
 * Reads rows [offset, offset + limit) without materialising the whole table: only the record
 * batches that overlap the page are decoded.
 */
export function readTablePage(bytes: Uint8Array, offset: number, limit: number): TablePage {
  const reader = RecordBatchFileReader.from(bytes) as RecordBatchFileReader;
  reader.open();
  const fields = reader.schema.fields;
  const columns = fields.map((f) => ({
    name: f.name,
    kind: (f.type instanceof Utf8 ? "string" : "number") as ColumnKind,
  }));
  const rows: (number | string | null)[][] = [];
  let batchStart = 0;
  let rowCount = 0;
  for (let b = 0; b < reader.numRecordBatches; b++) {
    const batch = reader.readRecordBatch(b) as RecordBatch | null;
    if (!batch) continue;
    const batchEnd = batchStart + batch.numRows;
    rowCount = batchEnd;
    if (batchEnd > offset && rows.length < limit) {
      for (let r = Math.max(0, offset - batchStart); r < batch.numRows && rows.length < limit; r++) {
        rows.push(
          fields.map((_, c) => {
            const v = batch.getChildAt(c)!.get(r);
            if (v === null || v === undefined) return null;
            return typeof v === "bigint" ? Number(v) : (v as number | string);
          }),
        );
      }
    }
    batchStart = batchEnd;
  }
  return { columns, rowCount, offset, rows };
}

/** Small description stored with the artifact ref and shown on the canvas. */
export function summarizeTable(table: DataTable): Record<string, unknown> {
  return {
    rows: table.rowCount,
    columns: table.columns.length,
    schema: table.columns.map((c) => ({ name: c.name, kind: c.kind })),
  };
}
