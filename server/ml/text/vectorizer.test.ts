import { describe, expect, it } from "vitest";
import { MlInputError } from "../errors";
import { analyze, fitTextVectorizer, hashTerm, murmurhash3_32, transformText, type TextVectorizerOptions } from "./vectorizer";

const DOCS = [
  "Free money!!! Claim your FREE prize now",
  "Meeting at 10am: the budget review is moved to Friday",
  "You won a free cruise, call now to claim",
  "Can we move the review meeting to Monday?",
  "Ünïcödé café naïve résumé — über cool",
  "budget budget budget: final numbers for the review",
  "a I x y z",
  "call me_maybe 2day 42 is the answer",
];
const DEFAULTS: TextVectorizerOptions = { method: "tfidf", maxFeatures: 1000, ngramRange: [1, 1], lowercase: true, stopWords: "none", minDf: 1 };
const opts = (o: Partial<TextVectorizerOptions>) => ({ ...DEFAULTS, ...o });
/** Row i of column-major output. */
const row = (cols: Float64Array[], i: number) => cols.map((c) => c[i]);

/*
References: scikit-learn 1.2.1 (/usr/bin/python3) on DOCS:
  t = TfidfVectorizer().fit(docs); t.get_feature_names_out(); t.idf_; t.transform(docs).toarray()[[0, 5]] (non-zeros)
  TfidfVectorizer(ngram_range=(1,2), stop_words='english', min_df=2).fit(docs): names, transform(docs)
  CountVectorizer(max_features=4, lowercase=False); CountVectorizer(ngram_range=(1,2), stop_words='english')
  HashingVectorizer(n_features=16).transform(docs); [murmurhash3_32(w, seed=0) for w in ...]
  t.transform(['free free review of unknown words'])
*/
const SK_VOCAB = ["10am", "2day", "42", "answer", "at", "budget", "café", "call", "can", "claim", "cool", "cruise", "final", "for", "free", "friday", "is", "me_maybe", "meeting", "monday", "money", "move", "moved", "naïve", "now", "numbers", "prize", "review", "résumé", "the", "to", "we", "won", "you", "your", "über", "ünïcödé"];
const A = 2.5040773967762737, B = 2.0986122886681096;
const SK_IDF = [A, A, A, A, A, B, A, B, A, B, A, A, A, A, B, A, B, A, B, A, A, A, A, A, B, A, A, 1.8109302162163288, A, 1.587786664902119, 1.8109302162163288, A, A, A, A, A, A];
const SK_ROW0: [number, number][] = [[9, 0.3120246494539569], [14, 0.6240492989079138], [20, 0.3723097763954149], [24, 0.3120246494539569], [26, 0.3723097763954149], [34, 0.3723097763954149]];
const SK_ROW5: [number, number][] = [[5, 0.7854512606582662], [12, 0.31240179660691375], [13, 0.31240179660691375], [25, 0.31240179660691375], [27, 0.22592666416942767], [29, 0.1980878895286954]];
const SK_X2 = [[0.0, 0.447213595499958, 0.894427190999916, 0.0, 0.0], [0.603612609238773, 0.0, 0.0, 0.603612609238773, 0.520868156001037], [0.0, 0.707106781186548, 0.707106781186548, 0.0, 0.0], [0.0, 0.0, 0.0, 0.757091999321284, 0.653308276821671], [0, 0, 0, 0, 0], [0.961033741841572, 0.0, 0.0, 0.0, 0.276431089137936], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]];
const SK_HASH16 = [
  [0.0, 0.0, 0.0, 0.301511344577764, -0.603022689155527, 0.0, 0.0, 0.0, 0.0, 0.301511344577764, -0.301511344577764, 0.0, 0.0, 0.0, 0.603022689155527, 0.0],
  [0.0, 0.0, 0.0, 0.0, -0.408248290463863, 0.0, 0.0, 0.0, 0.408248290463863, 0.408248290463863, 0.0, 0.408248290463863, 0.0, -0.408248290463863, -0.408248290463863, 0.0],
  [-0.353553390593274, 0.0, -0.353553390593274, 0.353553390593274, -0.353553390593274, 0.0, 0.0, 0.0, 0.0, 0.0, -0.353553390593274, 0.353553390593274, 0.353553390593274, 0.0, 0.353553390593274, 0.0],
  [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.353553390593274, 0.0, 0.0, -0.353553390593274, 0.0, -0.707106781186548, -0.353553390593274, 0.353553390593274],
  [0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0],
  [0.0, 0.0, 0.0, 0.0, 0.0, -0.894427190999916, -0.223606797749979, 0.0, 0.223606797749979, 0.0, 0.0, -0.223606797749979, 0.0, 0.0, -0.223606797749979, 0.0],
  new Array(16).fill(0),
  [0.0, 0.0, -0.447213595499958, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.447213595499958, 0.0, 0.0, 0.447213595499958, -0.447213595499958, 0.447213595499958],
];

describe("text vectoriser (scikit-learn reference)", () => {
  it("TF-IDF defaults: vocabulary, smooth idf and l2-normalised rows", () => {
    const f = fitTextVectorizer(DOCS, DEFAULTS);
    expect(f.terms).toEqual(SK_VOCAB);
    SK_IDF.forEach((v, j) => expect(f.idf![j]).toBeCloseTo(v, 13));
    const X = transformText(f, DOCS);
    for (const [i, ref] of [[0, SK_ROW0], [5, SK_ROW5]] as const) {
      const r = row(X, i);
      const want = new Array(SK_VOCAB.length).fill(0);
      for (const [j, v] of ref) want[j] = v;
      want.forEach((v, j) => expect(r[j]).toBeCloseTo(v, 13));
    }
    // Unseen words are dropped; the learnt idf is reused.
    const unseen = row(transformText(f, ["free free review of unknown words"]), 0);
    expect(unseen[SK_VOCAB.indexOf("free")]).toBeCloseTo(0.91818234928465, 13);
    expect(unseen[SK_VOCAB.indexOf("review")]).toBeCloseTo(0.396158015774163, 13);
  });

  it("stop words, bigrams and minDf", () => {
    const f = fitTextVectorizer(DOCS, opts({ ngramRange: [1, 2], stopWords: "english", minDf: 2 }));
    expect(f.terms).toEqual(["budget", "claim", "free", "meeting", "review"]);
    const X = transformText(f, DOCS);
    SK_X2.forEach((want, i) => want.forEach((v, j) => expect(X[j][i]).toBeCloseTo(v, 13)));
    const counts = fitTextVectorizer(DOCS, opts({ method: "counts", ngramRange: [1, 2], stopWords: "english" }));
    expect(counts.terms.length).toBe(51);
    expect(counts.terms.filter((t) => t.includes(" ")).slice(0, 8)).toEqual(["10am budget", "2day 42", "42 answer", "budget budget", "budget final", "budget review", "café naïve", "claim free"]);
    const r0 = row(transformText(counts, DOCS), 0);
    expect(Object.fromEntries(counts.terms.map((t, j) => [t, r0[j]]).filter(([, v]) => v))).toEqual({
      claim: 1, "claim free": 1, free: 2, "free money": 1, "free prize": 1, money: 1, "money claim": 1, prize: 1,
    });
  });

  it("counts with maxFeatures keep the most frequent terms (case kept when lowercase is off)", () => {
    const f = fitTextVectorizer(DOCS, opts({ method: "counts", maxFeatures: 4, lowercase: false }));
    expect(f.terms).toEqual(["budget", "review", "the", "to"]);
    const X = transformText(f, DOCS);
    expect(DOCS.map((_, i) => row(X, i))).toEqual([[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1], [0, 1, 1, 1], [0, 0, 0, 0], [3, 1, 1, 0], [0, 0, 0, 0], [0, 0, 1, 0]]);
  });

  it("hashing matches HashingVectorizer(n_features=16) on the buckets any training text uses", () => {
    expect(["free", "money", "", "ab", "abc", "abcd", "abcde", "café"].map((w) => murmurhash3_32(new TextEncoder().encode(w), 0) | 0)).toEqual([
      1363043438, -729929402, 0, -1681926305, -1277324294, 1139631978, -392455434, 605818632,
    ]);
    const f = fitTextVectorizer(DOCS, opts({ method: "hashing", maxFeatures: 16 }));
    const used = [...Array(16).keys()].filter((b) => SK_HASH16.some((r) => r[b] !== 0) || f.buckets!.includes(b));
    expect(f.buckets).toEqual(used);
    const X = transformText(f, DOCS);
    SK_HASH16.forEach((want, i) => f.buckets!.forEach((b, j) => expect(X[j][i]).toBeCloseTo(want[b], 13)));
    expect(hashTerm("money", 16)).toEqual({ index: Math.abs(-729929402) % 16, sign: -1 });
  });

  it("tokenises like token_pattern (?u)\\b\\w\\w+\\b: 2+ word characters, Unicode letters, underscores", () => {
    expect(analyze("a I x y z", DEFAULTS)).toEqual([]);
    expect(analyze("Ünïcödé café me_maybe 2day", DEFAULTS)).toEqual(["ünïcödé", "café", "me_maybe", "2day"]);
    expect(analyze("the cat sat", opts({ ngramRange: [2, 2] }))).toEqual(["the cat", "cat sat"]);
  });

  it("errors: empty vocabulary, bad minDf or ngramRange name the param", () => {
    expect(() => fitTextVectorizer(["the and of", "a"], opts({ stopWords: "english" }))).toThrow("perhaps it holds only stop words");
    const e = (() => {
      try {
        fitTextVectorizer(DOCS, opts({ minDf: 1.5 }));
      } catch (error) {
        return error as MlInputError;
      }
    })()!;
    expect(e.details).toEqual({ param: "minDf" });
    expect(() => fitTextVectorizer(DOCS, opts({ ngramRange: [2, 1] }))).toThrow(/ngramRange must be/);
    expect(() => fitTextVectorizer(DOCS, opts({ minDf: 9 }))).toThrow("or none reaches minDf 9");
  });
});
