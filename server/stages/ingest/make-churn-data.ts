/**
 * Generates examples/data/churn.csv: a synthetic, deterministic customer-churn table for the demo
 * pipeline. `churn` is drawn from a logistic function of the features, so a linear model can learn
 * it but not perfectly (the best possible accuracy is about 80%). It also carries what the Clean
 * and Validate stages are for: a few missing values and exact duplicate rows.
 *
 *   npx tsx server/stages/ingest/make-churn-data.ts [out.csv]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Rng } from "../../ml/rng";

export interface ChurnRow {
  customer_id: string;
  tenure_months: number;
  monthly_charges: number;
  total_charges: number | null;
  contract: string;
  internet: string;
  support_calls: number | null;
  payment_method: string | null;
  churn: "yes" | "no";
  /** The true churn probability (not written): lets the generator report the best reachable accuracy. */
  p: number;
}

const CONTRACTS = ["month-to-month", "one-year", "two-year"];
const INTERNET = ["dsl", "fiber", "none"];
const PAYMENT = ["electronic-check", "mailed-check", "bank-transfer", "credit-card"];

function pick<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

export function makeChurnRows(count = 997, seed = 2024): ChurnRow[] {
  const rng = new Rng(seed);
  const rows: ChurnRow[] = [];
  for (let i = 0; i < count; i++) {
    const contract = pick(rng, CONTRACTS, [0.55, 0.25, 0.2]);
    const internet = pick(rng, INTERNET, [0.35, 0.45, 0.2]);
    const payment = pick(rng, PAYMENT, [0.35, 0.2, 0.22, 0.23]);
    const tenureBase = contract === "two-year" ? 40 : contract === "one-year" ? 28 : 14;
    const tenure = Math.max(1, Math.min(72, Math.round(tenureBase + rng.normal() * 14)));
    const base = internet === "fiber" ? 85 : internet === "dsl" ? 55 : 22;
    const monthly = Math.round((base + rng.normal() * 9) * 100) / 100;
    const total = Math.round(tenure * monthly * (0.97 + 0.06 * rng.next()) * 100) / 100;
    const calls = poisson(rng, 1.4);

    const logit =
      -2.2 +
      (contract === "month-to-month" ? 1.8 : contract === "two-year" ? -1.6 : 0) +
      -0.06 * tenure +
      0.03 * (monthly - 60) +
      0.6 * calls +
      (internet === "fiber" ? 0.6 : 0) +
      (payment === "electronic-check" ? 0.7 : 0);
    const p = 1 / (1 + Math.exp(-logit));
    const churn = rng.next() < p ? "yes" : "no";
    rows.push({
      customer_id: `C${String(10001 + i)}`,
      tenure_months: tenure,
      monthly_charges: monthly,
      total_charges: total,
      contract,
      internet,
      support_calls: calls,
      payment_method: payment,
      churn,
      p,
    });
  }
  // A few missing values, at fixed places so the file is stable.
  for (const i of [17, 102, 233, 404, 515, 640, 781, 902]) rows[i].total_charges = null;
  for (const i of [58, 699]) rows[i].support_calls = null;
  for (const i of [311, 850]) rows[i].payment_method = null;
  // Exact duplicates (as if an export ran twice over some records), placed later in the file.
  const withDuplicates = [...rows];
  for (const [source, at] of [
    [12, 500],
    [345, 720],
    [678, 960],
  ] as const) {
    withDuplicates.splice(at, 0, { ...rows[source] });
  }
  return withDuplicates;
}

export function toCsv(rows: ChurnRow[]): string {
  const header = "customer_id,tenure_months,monthly_charges,total_charges,contract,internet,support_calls,payment_method,churn";
  const cell = (v: string | number | null) => (v === null ? "" : String(v));
  const lines = rows.map((r) =>
    [r.customer_id, r.tenure_months, r.monthly_charges, r.total_charges, r.contract, r.internet, r.support_calls, r.payment_method, r.churn]
      .map(cell)
      .join(","),
  );
  return `${header}\n${lines.join("\n")}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  const out = process.argv[2] ?? path.join(process.cwd(), "examples/data/churn.csv");
  const rows = makeChurnRows();
  writeFileSync(out, toCsv(rows));
  const bayes = rows.filter((r) => (r.p >= 0.5) === (r.churn === "yes")).length / rows.length;
  const rate = rows.filter((r) => r.churn === "yes").length / rows.length;
  console.log(`wrote ${rows.length} rows to ${out}; churn rate ${(rate * 100).toFixed(1)}%, best reachable accuracy ~${(bayes * 100).toFixed(1)}%`);
}
