import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betaAt, prefixBoundAt } from '../core/schedules';
import { episodeMixing, teacherExecutes, type EpisodeKey } from '../core/mixing';
import { shuffled, uniform, uniformInt } from '../core/random';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≉ ${b}`);

test('β schedules: constant, linear, exponential, steps, floor', () => {
  close(betaAt({ type: 'constant', value: 0.3 }, 7), 0.3);
  const linear = { type: 'linear', start: 1, end: 0, iterations: 5 } as const;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((i) => betaAt(linear, i)), [1, 0.75, 0.5, 0.25, 0, 0]);
  // The appendix's schedule: β_i = max(0.6, 1 − 0.2(i−1)) over 5 iterations.
  const appendix = { type: 'linear', start: 1, end: 0.2, iterations: 5, floor: 0.6 } as const;
  [1, 0.8, 0.6, 0.6, 0.6].forEach((b, i) => close(betaAt(appendix, i + 1), b));
  close(betaAt({ type: 'exponential', start: 0.9, gamma: 0.5 }, 3), 0.225);
  close(betaAt({ type: 'exponential', start: 1, gamma: 0.5, floor: 0.2 }, 10), 0.2);
  assert.deepEqual([1, 2, 3, 4].map((i) => betaAt({ type: 'steps', values: [1, 0.5, 0.1] }, i)), [1, 0.5, 0.1, 0.1]);
  assert.throws(() => betaAt(linear, 0), /iteration must be an integer ≥ 1/);
});

test('prefix bounds K_i grow and cap', () => {
  const d = { type: 'uniform', k0: 0, growth: 3, kMax: 7 } as const;
  assert.deepEqual([1, 2, 3, 4].map((i) => prefixBoundAt(d, i)), [0, 3, 6, 7]);
  assert.deepEqual([1, 2, 3].map((i) => prefixBoundAt({ type: 'steps', values: [2, 5] }, i)), [2, 5, 5]);
});

test('draws are deterministic and keyed', () => {
  assert.equal(uniform([1, 2, 'e', 3]), uniform([1, 2, 'e', 3]));
  assert.notEqual(uniform([1, 2, 'e', 3]), uniform([1, 2, 'e', 4]));
  const items = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(shuffled(items, [5]), shuffled(items, [5]));
  assert.notDeepEqual(shuffled(items, [5]), shuffled(items, [6]));
  assert.deepEqual([...shuffled(items, [5])].sort((a, b) => a - b), items);
  for (let i = 0; i < 200; i++) {
    const v = uniformInt([i], 2, 4);
    assert.ok(v >= 2 && v <= 4 && Number.isInteger(v));
  }
});

/** Two-sided binomial check: |observed − np| within 4.5 standard deviations (false alarm < 1e-5). */
function assertBinomial(successes: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(successes - n * p) <= 4.5 * sd + 1e-9, `${successes}/${n} is not Binomial(n, ${p})`);
}

test('DAgger-style: the teacher-executed fraction matches β, per turn independently', () => {
  for (const seed of [0, 1, 2]) {
    for (const beta of [0.1, 0.5, 0.8]) {
      let teacher = 0;
      let n = 0;
      let runsEqualToPrevious = 0;
      let previous: boolean | null = null;
      for (let e = 0; e < 200; e++) {
        const key: EpisodeKey = { seed, iteration: 3, episode: `e${e}` };
        for (let t = 0; t < 50; t++) {
          const z = teacherExecutes({ kind: 'dagger', beta }, key, t);
          teacher += z ? 1 : 0;
          n++;
          if (previous !== null && z === previous) runsEqualToPrevious++;
          previous = z;
        }
      }
      assertBinomial(teacher, n, beta);
      // Independence between consecutive turns: P(z_t = z_{t−1}) = β² + (1−β)².
      assertBinomial(runsEqualToPrevious, n - 1, beta * beta + (1 - beta) * (1 - beta));
    }
  }
  const key = { seed: 0, iteration: 1, episode: 'x' };
  assert.ok(Array.from({ length: 100 }, (_, t) => teacherExecutes({ kind: 'dagger', beta: 1 }, key, t)).every(Boolean));
  assert.ok(!Array.from({ length: 100 }, (_, t) => teacherExecutes({ kind: 'dagger', beta: 0 }, key, t)).some(Boolean));
});

test('AggreVaTe-style: the student executes exactly t < k, and k is uniform on {0 … K_i}', () => {
  const prefix = { type: 'uniform', k0: 1, growth: 2, kMax: 9 } as const;
  for (const seed of [0, 1, 2]) {
    const iteration = 3; // K_3 = 5
    const counts = new Array(6).fill(0);
    for (let e = 0; e < 3000; e++) {
      const key = { seed, iteration, episode: `e${e}` };
      const mixing = episodeMixing({ kind: 'aggrevate', prefix }, key);
      assert.equal(mixing.kind, 'aggrevate');
      if (mixing.kind !== 'aggrevate') continue;
      counts[mixing.k]++;
      for (let t = 0; t < 12; t++) assert.equal(teacherExecutes(mixing, key, t), t >= mixing.k);
      assert.deepEqual(episodeMixing({ kind: 'aggrevate', prefix }, key), mixing);
    }
    counts.forEach((c) => assertBinomial(c, 3000, 1 / 6));
  }
});

test('Wilson interval: known values, bounds, empty sample', async () => {
  const { wilsonInterval } = await import('../core/stats');
  const [lo, hi] = wilsonInterval(8, 10);
  assert.ok(Math.abs(lo - 0.4902) < 1e-3 && Math.abs(hi - 0.9433) < 1e-3, `${lo} ${hi}`);
  assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
  const [zlo, zhi] = wilsonInterval(0, 20);
  assert.equal(zlo, 0);
  assert.ok(zhi > 0.1 && zhi < 0.2);
});

test('adaptive β (ours): shrinks after iterations whose metric reached the threshold, down to the floor', () => {
  const adaptive = { type: 'adaptive', start: 1, factor: 0.5, threshold: 0.6, metric: 'agreement', floor: 0.2 } as const;
  const seen = [
    { agreement: 0.7, success: 0 }, // reached: 1 → 0.5
    { agreement: 0.4, success: 1 }, // not reached: stays 0.5
    { agreement: null, success: null }, // unmeasured: stays
    { agreement: 0.9, success: 0 }, // 0.5 → 0.25
    { agreement: 0.9, success: 0 }, // 0.25 → 0.2 (floor)
  ];
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((i) => betaAt(adaptive, i, seen)), [1, 0.5, 0.5, 0.5, 0.25, 0.2]);
  assert.equal(betaAt({ ...adaptive, metric: 'success' }, 3, seen), 0.5);
  assert.throws(() => betaAt(adaptive, 3, seen.slice(0, 1)), /needs the observations of iterations 1…2/);
});
