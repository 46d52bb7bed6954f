/**
 * The random numbers scikit-learn's tree splitter draws, so that a decision tree visits the
 * features in the same order as DecisionTreeClassifier / DecisionTreeRegressor(random_state=seed)
 * and so breaks ties between equally good splits the same way (the first feature visited wins).
 *
 * sklearn (1.2, sklearn/tree/_splitter.pyx and _utils.pyx): the splitter's state is
 * RandomState(seed).randint(0, RAND_R_MAX), i.e. numpy's legacy MT19937 seeded with
 * init_genrand(seed), one 32-bit draw masked to 31 bits (redrawn if it is 2^31 - 1); each feature
 * draw is then rand_int(low, high) = low + our_rand_r() % (high - low), where our_rand_r is a
 * 32-bit xorshift (13, 17, 5) returned modulo 2^31.
 */

/** The first 32-bit outputs of MT19937 seeded by init_genrand(seed) (numpy's RandomState(seed)). */
export function* mt19937(seed: number): Generator<number, never> {
  const N = 624;
  const M = 397;
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
    // 1812433253 * prev + i, mod 2^32, without losing bits to float rounding.
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = N;
  for (;;) {
    if (index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    yield y >>> 0;
  }
}

const RAND_R_MAX = 0x7fffffff;

/** numpy RandomState(seed).randint(0, 2^31 - 1): masked rejection sampling on MT19937 draws. */
export function numpyRandint31(seed: number): number {
  const draws = mt19937(seed);
  for (;;) {
    const v = draws.next().value & RAND_R_MAX;
    if (v <= RAND_R_MAX - 1) return v;
  }
}

/** sklearn's splitter random state: rand_int(low, high) as the tree builder draws features. */
export class SklearnTreeRandom {
  private state: number;
  /** `seed` as DecisionTree*(random_state=seed); taken modulo 2^32 (numpy accepts 0..2^32 - 1). */
  constructor(seed: number) {
    this.state = numpyRandint31(((seed % 2 ** 32) + 2 ** 32) % 2 ** 32);
  }

  private next(): number {
    let s = this.state === 0 ? 1 : this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return s % (RAND_R_MAX + 1);
  }

  /** An integer in [low, high). */
  randInt(low: number, high: number): number {
    return low + (this.next() % (high - low));
  }
}
