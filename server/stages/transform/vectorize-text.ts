import { z } from "zod";
import { getColumn, makeTable, type DataTable, type TableColumn } from "../../artifacts/table";
import { fitTextVectorizer, transformText, type FittedTextVectorizer } from "../../ml/text/vectorizer";
import { listNames, requireColumn } from "../common";
import { defineStage, StageError } from "../types";
import { toStageError } from "../model/predict-core";

const params = z.object({
  column: z.string().min(1, "Pick the text column").meta({ widget: "column" }).describe("Text column"),
  method: z.enum(["tfidf", "hashing", "counts"]).default("tfidf").describe("Method (TF-IDF, hashing, or raw counts)"),
  maxFeatures: z.number().int().min(1).max(100_000).default(1000).describe("Max features (most frequent terms; hash buckets for hashing)"),
  ngramRange: z
    .array(z.number().int().min(1).max(5))
    .length(2, "Give [min, max] n-gram sizes")
    .refine((r) => r[0]! <= r[1]!, "The first n-gram size must not exceed the second")
    .default([1, 1])
    .describe("N-gram sizes [min, max] ([1, 2] adds word pairs)"),
  lowercase: z.boolean().default(true).describe("Lowercase the text first"),
  stopWords: z.enum(["none", "english"]).default("none").describe("Stop words to drop"),
  minDf: z.number().gt(0).max(1_000_000).default(1).describe("Min document frequency (a count, or a share when below 1)"),
});

export type VectorizeTextParams = z.output<typeof params>;

/** The fitted transform: replayed on other rows (the test split, new data) by a second Vectorize text node or by Predict. */
export interface VectorizeTextTransform {
  kind: "vectorize-text";
  column: string;
  vectorizer: FittedTextVectorizer;
  /** Output column names, in order: `<column>:<term>` (`<column>:#<bucket>` for hashing). */
  featureColumns: string[];
}

/** Cells above which a dense feature table gets a memory warning. */
const LARGE_OUTPUT_CELLS = 50_000_000;

export const vectorizeText = defineStage({
  id: "vectorize-text",
  version: 1,
  title: "Vectorize text",
  category: "Transform",
  description:
    "Turns a free-text column into numeric word features (TF-IDF, hashing or counts, as scikit-learn's vectorisers) so models can use it. Connect a fitted transform to apply the same vocabulary to other rows.",
  params,
  inputs: {
    table: { type: "table", label: "Table" },
    transform: {
      type: "transform",
      label: "Fitted transform",
      optional: true,
      description: "The transform output of another Vectorize text node (fitted on the training rows) to apply instead of fitting a new vocabulary.",
    },
  },
  outputs: {
    table: { type: "table", label: "Table with features" },
    transform: { type: "transform", label: "Fitted transform" },
  },
  run(ctx) {
    const p = ctx.params;
    const table = ctx.readTable("table");
    let transform: VectorizeTextTransform;
    if (ctx.inputs.transform) {
      transform = ctx.readJson<VectorizeTextTransform>("transform");
      if (transform?.kind !== "vectorize-text") {
        throw new StageError("The transform input is not a Vectorize text transform. Connect the Fitted transform output of another Vectorize text node.", {
          field: "transform",
        });
      }
      ctx.log(`Applying the fitted ${transform.vectorizer.options.method} vocabulary of '${transform.column}' (${transform.featureColumns.length} features); this node's own settings are not used.`);
    } else {
      const docs = textValues(table, p.column);
      try {
        const vectorizer = fitTextVectorizer(docs, {
          method: p.method,
          maxFeatures: p.maxFeatures,
          ngramRange: [p.ngramRange[0]!, p.ngramRange[1]!],
          lowercase: p.lowercase,
          stopWords: p.stopWords,
          minDf: p.minDf,
        });
        const featureColumns = vectorizer.terms.map((t) => `${p.column}:${t}`);
        transform = { kind: "vectorize-text", column: p.column, vectorizer, featureColumns };
      } catch (error) {
        const e = toStageError(error);
        if (e instanceof StageError && (e.field === "column" || !e.field)) {
          throw new StageError(`Column '${p.column}': ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`, { field: e.field ?? "column", column: p.column });
        }
        throw e;
      }
      const empty = docs.filter((d) => d === null || d.trim() === "").length;
      if (empty) ctx.warn(`${empty} of ${docs.length} rows have no text in '${p.column}'; their features are all 0.`);
      ctx.log(`Fitted ${p.method} on ${docs.length} texts: ${transform.featureColumns.length} features.`);
    }
    ctx.progress(0.5, "vectorising");
    const out = applyVectorizeText(transform, table);
    if (out.rowCount * transform.featureColumns.length > LARGE_OUTPUT_CELLS) {
      ctx.warn(`The output holds ${out.rowCount} rows x ${transform.featureColumns.length} features as dense numbers; lower "Max features" if memory runs short.`);
    }
    ctx.progress(1);
    return {
      table: ctx.writeTable(out),
      transform: ctx.writeJson("transform", transform, { kind: "vectorize-text", column: transform.column, method: transform.vectorizer.options.method, features: transform.featureColumns.length }),
    };
  },
});

function textValues(table: DataTable, name: string): (string | null)[] {
  const column = requireColumn(table, name, "column");
  if (column.kind !== "string") {
    throw new StageError(`Column '${name}' holds numbers; Vectorize text needs a text column. Pick a column of free text.`, { field: "column", column: name });
  }
  return column.values;
}

/**
 * Replaces the text column by the transform's feature columns, at the text column's position.
 * Used by this stage and, for raw rows, by Predict.
 */
export function applyVectorizeText(transform: VectorizeTextTransform, table: DataTable): DataTable {
  const docs = (() => {
    const column = getColumn(table, transform.column);
    if (!column) {
      throw new StageError(
        `The table has no column '${transform.column}', which the text transform was fitted on; its columns are ${listNames(table.columns.map((c) => c.name))}.`,
        { column: transform.column },
      );
    }
    return textValues(table, transform.column);
  })();
  const clash = transform.featureColumns.filter((n) => n !== transform.column && getColumn(table, n));
  if (clash.length) {
    throw new StageError(`The table already has ${listNames(clash)}, which Vectorize text would create. Rename or drop ${clash.length === 1 ? "that column" : "those columns"} first.`, {
      column: clash[0],
    });
  }
  const values = transformText(transform.vectorizer, docs);
  const features: TableColumn[] = transform.featureColumns.map((name, j) => ({ name, kind: "number", values: values[j]! }));
  const columns: TableColumn[] = [];
  for (const c of table.columns) {
    if (c.name === transform.column) columns.push(...features);
    else columns.push(c);
  }
  return makeTable(columns);
}
