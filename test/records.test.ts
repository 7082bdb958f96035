/**
 * The run's records computed once: rollout numbers with their interval, the tampering count, the carried summary,
 * effective samples per method kind and the budget decision.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetProgress, cumulativeSums } from '../core/budget';
import {
  effectiveSampleCountProblem,
  effectiveSamples,
  effectiveSamplesOf,
  METRICS_SCHEMA,
  recordedEffectiveSamples,
  rolloutStats,
  summarizeIteration,
  type EpisodeSummary,
  type IterationMetrics,
  type IterationResult,
} from '../core/records';
import { wilsonInterval } from '../core/stats';

const episode = (over: Partial<EpisodeSummary>): EpisodeSummary => ({
  episodeId: 'e',
  taskId: 't',
  turns: 4,
  teacherTurns: 2,
  endReason: 'finish',
  reward: 1,
  verifyError: null,
  retries: 0,
  ...over,
});

test('rollout stats count episodes, successes with their Wilson interval, errors and flagged patches', () => {
  const stats = rolloutStats([
    episode({ reward: 1, tampered: true }),
    episode({ reward: 0 }),
    episode({ reward: null, endReason: 'error' }),
    episode({ reward: 0, verifyError: 'tests did not run', retries: 2 }),
  ]);
  assert.deepEqual(
    { episodes: stats.episodes, resolved: stats.resolved, errors: stats.errors, tampered: stats.tampered, retries: stats.retries, turns: stats.turns },
    { episodes: 4, resolved: 1, errors: 2, tampered: 1, retries: 2, turns: 16 },
  );
  assert.equal(stats.successRate, 0.25);
  assert.deepEqual(stats.interval, wilsonInterval(1, 4));
  assert.deepEqual(stats.endReasons, { finish: 3, error: 1 });
  assert.deepEqual(rolloutStats([]).interval, [0, 1]);
});

test("an iteration's summary carries each suite's success, the initial student and the ceiling's counts", () => {
  const stats = rolloutStats([episode({}), episode({ reward: 0 })]);
  const diagnostics = { agreement: { overall: { n: 4, agree: 3 }, byPrefix: { teacher: { n: 0, agree: 0 }, student: { n: 0, agree: 0 } }, byTurn: [] } } as never;
  const result: IterationResult = {
    iteration: 1,
    mixing: 'beta=1',
    rollout: stats,
    dataset: { dataset: 'datasets/iter-1.jsonl', trajectories: 2, kept: 2, transitions: 8, diagnostics },
    train: null,
    evaluation: stats,
    teacherCeiling: { ...stats, model: 'oracle' },
    evaluations: [{ ...stats, name: 'heldout', suite: 's', model: 'm' }],
    initial: [{ ...rolloutStats([episode({ reward: 0 })]), name: 'heldout', suite: 's', model: 'm' }],
    metrics: 'metrics/iter-1.json',
  };
  const summary = summarizeIteration(result, 'm');
  assert.equal(summary.agreement, 0.75);
  assert.equal(summary.effectiveSamples, 8); // imitation: D_i's labelled turns
  assert.equal(summarizeIteration({ ...result, dataset: { ...result.dataset, effectiveSamples: 3 } }, 'm', 'opd').effectiveSamples, 3);
  assert.equal(summarizeIteration(result, 'm', 'grpo').effectiveSamples, undefined);
  assert.deepEqual(summary.evalInterval, wilsonInterval(1, 2));
  assert.deepEqual(summary.teacherCeiling, { episodes: 2, resolved: 1, successRate: 0.5, interval: wilsonInterval(1, 2), model: 'oracle' });
  assert.deepEqual(summary.suites, [{ name: 'heldout', episodes: 2, resolved: 1, successRate: 0.5, interval: wilsonInterval(1, 2) }]);
  assert.deepEqual(summary.initial, [{ name: 'heldout', episodes: 1, resolved: 0, successRate: 0, interval: wilsonInterval(0, 1) }]);
});

const label = { action: 'a' };

test('effective samples, imitation: one per labelled turn of D_i; teacher errors (null labels) and rejected episodes are not in it', () => {
  // D_i as aggregate writes it: SFT's rejection sampling already left out unresolved episodes.
  const dataset = [{ turns: [{ label }, { label: null }, { label }] }, { turns: [{ label }] }, { turns: [] }];
  assert.equal(effectiveSamples({ kind: 'imitation', dataset }), 3);
  assert.equal(effectiveSamples({ kind: 'imitation', dataset: [] }), 0);
});

test('effective samples, OPD: one per student turn the teacher scored', () => {
  assert.equal(effectiveSamples({ kind: 'opd', studentTurns: [{ scored: true }, { scored: false }, { scored: true }, { scored: true }] }), 3);
});

test('effective samples, GRPO: the judged student turns of groups whose judged rewards vary', () => {
  const groups = [
    [{ reward: 1, studentTurns: 4 }, { reward: 0, studentTurns: 6 }, { reward: null, studentTurns: 5 }], // varies: 4 + 6 (unjudged left out)
    [{ reward: 1, studentTurns: 3 }, { reward: 1, studentTurns: 2 }], // no variance: nothing trained
    [{ reward: 0, studentTurns: 7 }, { reward: null, studentTurns: 2 }], // one judged member: no variance
    [{ reward: 0, studentTurns: 1 }], // a group of one
    [{ reward: 0.5, studentTurns: 2 }, { reward: 0, studentTurns: 3 }, { reward: 0.5, studentTurns: 1 }], // varies: 6
  ];
  assert.equal(effectiveSamples({ kind: 'grpo', groups }), 16);
});

test('the count from records: the recorded count, else (imitation only) D_i’s transitions', () => {
  assert.equal(effectiveSamplesOf({ effectiveSamples: 5, transitions: 9 }, 'opd'), 5);
  assert.equal(effectiveSamplesOf({ transitions: 9 }, undefined), 9); // older imitation state: the same number
  assert.equal(effectiveSamplesOf({ transitions: 9 }, 'grpo'), null); // no count, and transitions is not it
  const dataset = { dataset: 'd', trajectories: 1, kept: 1, transitions: 7, diagnostics: {} as never };
  const m = (over: Partial<IterationMetrics>) => ({ dataset, ...over }) as Pick<IterationMetrics, 'schema' | 'effectiveSamples' | 'dataset'>;
  assert.equal(recordedEffectiveSamples(m({ schema: METRICS_SCHEMA, effectiveSamples: { count: 4, cumulative: 10 } })), 4);
  assert.equal(recordedEffectiveSamples(m({ schema: 'agent-dagger/iteration-metrics@1' as never })), 7); // @1: imitation only
  assert.equal(recordedEffectiveSamples(m({})), 7);
  assert.equal(recordedEffectiveSamples(m({ schema: METRICS_SCHEMA })), null); // @2 without a count
});

test('a budget needs a counted objective; the refusal names the objective and what to do', () => {
  assert.equal(effectiveSampleCountProblem(undefined), null);
  assert.equal(effectiveSampleCountProblem('imitation'), null);
  assert.match(effectiveSampleCountProblem('grpo', ['imitation', 'opd']) ?? '', /objective "grpo" has none .*counted: imitation, opd.*Drop the budget/);
  assert.equal(effectiveSampleCountProblem('grpo', ['imitation', 'grpo']), null);
});

test('the budget decision: met at the first iteration whose cumulative count reaches it', () => {
  assert.deepEqual(cumulativeSums([3, 4, null, 2]), [3, 7, null, null]);
  const its = [
    { iteration: 1, effectiveSamples: 6 },
    { iteration: 2, effectiveSamples: 5 },
    { iteration: 3, effectiveSamples: 5 },
  ];
  assert.deepEqual(budgetProgress(11, its), { effectiveSamples: 11, cumulative: 16, metAtIteration: 2 }); // exactly reached
  assert.deepEqual(budgetProgress(12, its.slice(0, 2)), { effectiveSamples: 12, cumulative: 11, metAtIteration: null });
  assert.deepEqual(budgetProgress(5, its), { effectiveSamples: 5, cumulative: 16, metAtIteration: 1 }); // overshoot in iteration 1
  assert.deepEqual(budgetProgress(5, []), { effectiveSamples: 5, cumulative: 0, metAtIteration: null });
  // An iteration without a count: the sum is unknown from there on, so the budget is never taken as met by guesswork.
  assert.deepEqual(budgetProgress(5, [{ iteration: 1, effectiveSamples: null }, { iteration: 2, effectiveSamples: 9 }]), { effectiveSamples: 5, cumulative: null, metAtIteration: null });
});
