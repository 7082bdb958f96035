/** The run's records computed once: rollout numbers with their interval, the tampering count, the carried summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rolloutStats, summarizeIteration, type EpisodeSummary, type IterationResult } from '../core/records';
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
  assert.deepEqual(summary.evalInterval, wilsonInterval(1, 2));
  assert.deepEqual(summary.teacherCeiling, { episodes: 2, resolved: 1, successRate: 0.5, interval: wilsonInterval(1, 2), model: 'oracle' });
  assert.deepEqual(summary.suites, [{ name: 'heldout', episodes: 2, resolved: 1, successRate: 0.5, interval: wilsonInterval(1, 2) }]);
  assert.deepEqual(summary.initial, [{ name: 'heldout', episodes: 1, resolved: 0, successRate: 0, interval: wilsonInterval(0, 1) }]);
});
