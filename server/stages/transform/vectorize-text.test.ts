import { describe, expect, it } from "vitest";
import { getColumn } from "../../artifacts/table";
import { predictWithModel, type StudioModel } from "../model/predict-core";
import { train } from "../model/train";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { vectorizeText, type VectorizeTextTransform } from "./vectorize-text";

const TEXTS = [
  "Free money!!! Claim your FREE prize now",
  "Meeting at 10am: the budget review is moved to Friday",
  "You won a free cruise, call now to claim",
  "Can we move the review meeting to Monday?",
  "win a free prize, call now",
  "budget budget budget: final numbers for the review",
];
const LABELS = ["spam", "ham", "spam", "ham", "spam", "ham"];
const corpus = () => tableOf({ id: [1, 2, 3, 4, 5, 6], text: TEXTS, label: LABELS });

async function vectorize(params: Record<string, unknown>, table = corpus()) {
  const h = stageHarness();
  const out = await h.run(vectorizeText, params, { table: h.putTable(table) });
  return { h, out, table: h.readTable(out.table), transform: h.readJson<VectorizeTextTransform>(out.transform) };
}

describe("vectorize-text stage", () => {
  it("replaces the text column in place by <column>:<term> TF-IDF features", async () => {
    const { table, transform, out } = await vectorize({ column: "text" });
    const names = table.columns.map((c) => c.name);
    expect(names[0]).toBe("id");
    expect(names.at(-1)).toBe("label");
    expect(names.slice(1, -1)).toEqual(transform.featureColumns);
    expect(transform.featureColumns).toContain("text:free");
    expect(transform.featureColumns).not.toContain("text:a"); // one-letter tokens are not terms
    // Every row is l2-normalised.
    for (let i = 0; i < 6; i++) {
      const norm = transform.featureColumns.reduce((s, n) => s + (getColumn(table, n)!.values[i] as number) ** 2, 0);
      expect(norm).toBeCloseTo(1, 12);
    }
    // Row 0 by hand: n = 6, df(free) = 3, df(prize) = 2 -> idf = ln(7/4) + 1 and ln(7/3) + 1; tf(free) = 2, tf(prize) = 1.
    const free = getColumn(table, "text:free")!.values[0] as number;
    const prize = getColumn(table, "text:prize")!.values[0] as number;
    expect(free / prize).toBeCloseTo((2 * (Math.log(7 / 4) + 1)) / (Math.log(7 / 3) + 1), 12);
    expect(out.transform.summary).toMatchObject({ kind: "vectorize-text", column: "text", method: "tfidf" });
  });

  it("a connected transform replays the fitted vocabulary on other rows", async () => {
    const fitted = await vectorize({ column: "text", method: "counts" });
    const h = fitted.h;
    const test = tableOf({ text: ["free free unknown words", null] });
    const out = await h.run(vectorizeText, { column: "ignored", method: "hashing" }, { table: h.putTable(test), transform: fitted.out.transform });
    const t = h.readTable(out.table);
    expect(t.columns.map((c) => c.name)).toEqual(fitted.transform.featureColumns);
    expect(getColumn(t, "text:free")!.values[0]).toBe(2);
    expect(getColumn(t, "text:free")!.values[1]).toBe(0);
    expect(h.readJson(out.transform)).toEqual(fitted.transform);
  });

  it("hashing names columns by bucket; empty texts are warned about", async () => {
    const h = stageHarness();
    const out = await h.run(vectorizeText, { column: "text", method: "hashing", maxFeatures: 32 }, { table: h.putTable(tableOf({ text: ["free prize", null, "call now"] })) });
    const t = h.readTable(out.table);
    expect(t.columns.every((c) => /^text:#\d+$/.test(c.name))).toBe(true);
    expect(h.events.some((e) => e.type === "log" && e.level === "warn" && e.message.includes("1 of 3 rows have no text in 'text'"))).toBe(true);
  });

  it("text -> multinomial naive Bayes: classifies new messages", async () => {
    const { h, table, out } = await vectorize({ column: "text", method: "counts" });
    const trained = await h.run(train, { target: "label", ignore: ["id"], model: "multinomial-nb" }, { train: h.putTable(table) });
    const model = h.readJson<StudioModel>(trained.model);
    const fresh = await h.run(vectorizeText, { column: "text" }, { table: h.putTable(tableOf({ text: ["claim your free prize now", "the review meeting budget"] })), transform: out.transform });
    const pred = await predictWithModel(model, h.readTable(fresh.table));
    expect(pred.labels).toEqual(["spam", "ham"]);
  });

  describe("errors", () => {
    it("a number column, a missing column, only stop words, a clash", async () => {
      const e1 = await vectorize({ column: "id" }).catch((e) => e);
      expect(e1).toBeInstanceOf(StageError);
      expect(e1.message).toContain("Column 'id' holds numbers; Vectorize text needs a text column");
      expect(e1.field).toBe("column");
      const e2 = await vectorize({ column: "body" }).catch((e) => e);
      expect(e2.message).toContain("'body'");
      expect(e2.field).toBe("column");
      const e3 = await vectorize({ column: "text", stopWords: "english" }, tableOf({ text: ["the and of", "it is"] })).catch((e) => e);
      expect(e3.message).toContain("Column 'text': the text has no terms left to use (perhaps it holds only stop words)");
      const e4 = await vectorize({ column: "text" }, tableOf({ text: ["free prize"], "text:free": [1] })).catch((e) => e);
      expect(e4.message).toContain("already has 'text:free'");
    });

    it("params: ngramRange order and size", () => {
      expect(vectorizeText.params.safeParse({ column: "t", ngramRange: [2, 1] }).success).toBe(false);
      expect(vectorizeText.params.safeParse({ column: "t", ngramRange: [1] }).success).toBe(false);
      expect(vectorizeText.params.parse({ column: "t" })).toMatchObject({ method: "tfidf", maxFeatures: 1000, ngramRange: [1, 1], lowercase: true, stopWords: "none", minDf: 1 });
    });
  });
});
