/**
 * Bag-of-words vectorisers that match scikit-learn 1.2's defaults, so users can compare numbers:
 * - "counts": CountVectorizer (raw term counts);
 * - "tfidf": TfidfVectorizer (smooth_idf, sublinear_tf false, norm "l2"): idf = ln((1 + n) / (1 + df)) + 1;
 * - "hashing": HashingVectorizer (signed 32-bit MurmurHash3 of the UTF-8 term, alternate_sign, norm "l2")
 *   with maxFeatures buckets.
 * Tokens are scikit-learn's default token_pattern r"(?u)\b\w\w+\b" (runs of 2+ letters, digits or
 * underscores), after lowercasing; stop words are removed before n-grams are formed.
 */
import { MlInputError } from "../errors";
import { ENGLISH_STOP_WORDS } from "./stop-words";

export type TextMethod = "tfidf" | "hashing" | "counts";

export interface TextVectorizerOptions {
  method: TextMethod;
  /** Vocabulary cap (the most frequent terms over the corpus) for tfidf/counts; bucket count for hashing. */
  maxFeatures: number;
  ngramRange: [number, number];
  lowercase: boolean;
  stopWords: "none" | "english";
  /** Minimum document frequency: a whole number is a count of documents, a fraction in (0, 1) a share of them. */
  minDf: number;
}

/** A fitted vectoriser as plain JSON: enough to transform new text the same way. */
export interface FittedTextVectorizer {
  kind: "text-vectorizer";
  options: TextVectorizerOptions;
  /** tfidf/counts: the terms, in output (alphabetical) order. hashing: the kept bucket indices as strings ("#17"). */
  terms: string[];
  /** tfidf: idf of each term; otherwise null. */
  idf: number[] | null;
  /** hashing: the bucket index of each output feature; otherwise null. */
  buckets: number[] | null;
  /** Documents seen in fitting. */
  documents: number;
}

const TOKEN = /[\p{L}\p{N}_]{2,}/gu;
const UTF8 = new TextEncoder();

/** The terms of one document in order (unigrams first, then each n-gram size), as scikit-learn builds them. */
export function analyze(text: string, options: Pick<TextVectorizerOptions, "lowercase" | "stopWords" | "ngramRange">): string[] {
  const doc = options.lowercase ? text.toLowerCase() : text;
  let tokens: string[] = doc.match(TOKEN) ?? [];
  if (options.stopWords === "english") tokens = tokens.filter((t) => !ENGLISH_STOP_WORDS.has(t));
  const [minN, maxN] = options.ngramRange;
  if (maxN === 1) return minN === 1 ? tokens : [];
  const out: string[] = minN === 1 ? [...tokens] : [];
  for (let n = Math.max(minN, 2); n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(" "));
  }
  return out;
}

function checkOptions(o: TextVectorizerOptions): void {
  const [a, b] = o.ngramRange;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a) {
    throw new MlInputError(`ngramRange must be two whole numbers [min, max] with 1 <= min <= max (got [${a}, ${b}])`, { param: "ngramRange" });
  }
  if (!Number.isInteger(o.maxFeatures) || o.maxFeatures < 1) throw new MlInputError(`maxFeatures must be a whole number >= 1 (got ${o.maxFeatures})`, { param: "maxFeatures" });
  if (!(o.minDf > 0) || (o.minDf >= 1 && !Number.isInteger(o.minDf))) {
    throw new MlInputError(`minDf must be a whole number of documents (>= 1) or a share in (0, 1) (got ${o.minDf})`, { param: "minDf" });
  }
}

/** Fits the vocabulary (and idf) on the documents; a null document counts as empty text. */
export function fitTextVectorizer(docs: readonly (string | null)[], options: TextVectorizerOptions): FittedTextVectorizer {
  checkOptions(options);
  const n = docs.length;
  if (options.method === "hashing") {
    const used = new Set<number>();
    for (const doc of docs) for (const term of analyze(doc ?? "", options)) used.add(hashTerm(term, options.maxFeatures).index);
    const buckets = [...used].sort((a, b) => a - b);
    if (!buckets.length) throw emptyVocabulary(options);
    return { kind: "text-vectorizer", options, terms: buckets.map((b) => `#${b}`), idf: null, buckets, documents: n };
  }
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  const seen = new Set<string>();
  for (const doc of docs) {
    seen.clear();
    for (const term of analyze(doc ?? "", options)) {
      tf.set(term, (tf.get(term) ?? 0) + 1);
      if (!seen.has(term)) {
        seen.add(term);
        df.set(term, (df.get(term) ?? 0) + 1);
      }
    }
  }
  const minCount = options.minDf >= 1 ? options.minDf : options.minDf * n;
  let terms = [...df.keys()].filter((t) => df.get(t)! >= minCount);
  if (!terms.length) throw emptyVocabulary(options);
  if (terms.length > options.maxFeatures) {
    // The most frequent over the corpus (scikit-learn's _limit_features); ties go to the earlier term
    // alphabetically, where scikit-learn's unstable argsort leaves them unspecified.
    terms.sort((a, b) => tf.get(b)! - tf.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    terms = terms.slice(0, options.maxFeatures);
  }
  terms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const idf = options.method === "tfidf" ? terms.map((t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1) : null;
  return { kind: "text-vectorizer", options, terms, idf, buckets: null, documents: n };
}

function emptyVocabulary(o: TextVectorizerOptions): MlInputError {
  return new MlInputError(
    `the text has no terms left to use${o.stopWords === "english" ? " (perhaps it holds only stop words)" : ""}${o.minDf !== 1 ? `, or none reaches minDf ${o.minDf}` : ""}; ` +
      "terms are runs of 2 or more letters or digits",
    { param: o.minDf !== 1 ? "minDf" : "column" },
  );
}

/**
 * The feature matrix of the documents, one Float64Array per output feature (column-major, as the
 * studio's tables store it): counts, l2-normalised tf-idf, or l2-normalised signed hash counts.
 */
export function transformText(fitted: FittedTextVectorizer, docs: readonly (string | null)[]): Float64Array[] {
  const o = fitted.options;
  const n = docs.length;
  const d = fitted.terms.length;
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  const position = new Map<string | number, number>();
  if (fitted.buckets) fitted.buckets.forEach((b, j) => position.set(b, j));
  else fitted.terms.forEach((t, j) => position.set(t, j));
  const rowIdx: number[] = [];
  const rowVal: number[] = [];
  const slot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    rowIdx.length = 0;
    rowVal.length = 0;
    slot.clear();
    for (const term of analyze(docs[i] ?? "", o)) {
      let j: number | undefined;
      let v = 1;
      if (fitted.buckets) {
        const h = hashTerm(term, o.maxFeatures);
        j = position.get(h.index);
        v = h.sign;
      } else j = position.get(term);
      if (j === undefined) continue;
      const s = slot.get(j);
      if (s === undefined) {
        slot.set(j, rowIdx.length);
        rowIdx.push(j);
        rowVal.push(v);
      } else rowVal[s]! += v;
    }
    if (fitted.idf) for (let s = 0; s < rowIdx.length; s++) rowVal[s]! *= fitted.idf[rowIdx[s]!]!;
    if (o.method !== "counts") {
      let norm = 0;
      for (const v of rowVal) norm += v * v;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let s = 0; s < rowVal.length; s++) rowVal[s]! /= norm;
    }
    for (let s = 0; s < rowIdx.length; s++) columns[rowIdx[s]!]![i] = rowVal[s]!;
  }
  return columns;
}

/** scikit-learn's HashingVectorizer bucket and sign of a term (murmurhash3_32, seed 0, signed). */
export function hashTerm(term: string, nFeatures: number): { index: number; sign: 1 | -1 } {
  const h = murmurhash3_32(UTF8.encode(term), 0) | 0;
  const index = h === -2147483648 ? (2147483647 - (nFeatures - 1)) % nFeatures : Math.abs(h) % nFeatures;
  return { index, sign: h >= 0 ? 1 : -1 };
}

/** MurmurHash3 x86 32-bit over bytes; returns the unsigned 32-bit hash. */
export function murmurhash3_32(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const len = bytes.length;
  const blocks = len >> 2;
  for (let b = 0; b < blocks; b++) {
    const i = b << 2;
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks << 2;
  switch (len & 3) {
    case 3:
      k ^= bytes[tail + 2]! << 16;
    // falls through
    case 2:
      k ^= bytes[tail + 1]! << 8;
    // falls through
    case 1:
      k ^= bytes[tail]!;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
