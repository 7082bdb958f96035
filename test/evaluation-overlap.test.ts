/** When iteration i's evaluation may run beside iteration i+1's rollouts (core/evaluation-overlap.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlgorithmConfig } from '../config/schema';
import { evaluationOverlap, type OverlapInput } from '../core/evaluation-overlap';
import { formatStatus, progressLine } from '../cli/progress';
import type { ExperimentStatus } from '../workflows/experiment';
import type { IterationProgress } from '../workflows/iteration';
import { testConfig } from './support/stack';

const dagger = testConfig().algorithm;
const base: OverlapInput = { iteration: 1, iterations: 3, algorithm: dagger, enabled: undefined, evaluates: true, budget: false, stopRequested: false };
const adaptive = (metric: 'agreement' | 'success'): AlgorithmConfig => ({ ...dagger, kind: 'dagger', beta: { type: 'adaptive', start: 1, factor: 0.5, threshold: 0.5, metric } }) as AlgorithmConfig;

test('an evaluation overlaps the next rollouts when nothing waits for it (the option unset means on)', () => {
  assert.deepEqual(evaluationOverlap(base), { overlap: true });
  assert.deepEqual(evaluationOverlap({ ...base, iteration: 2, enabled: true }), { overlap: true });
  // Agreement comes from the rollouts: an agreement-driven β does not need the evaluation.
  assert.deepEqual(evaluationOverlap({ ...base, algorithm: adaptive('agreement') }), { overlap: true });
  const aggrevate = testConfig({ algorithm: { kind: 'aggrevate' } }).algorithm;
  assert.deepEqual(evaluationOverlap({ ...base, algorithm: aggrevate }), { overlap: true });
});

test('no overlap where the next iteration or the end of the run needs the evaluation, or there is none', () => {
  const cases: [Partial<OverlapInput>, RegExp][] = [
    [{ algorithm: adaptive('success') }, /β adapts to this evaluation's success/],
    [{ iteration: 3 }, /last iteration/],
    [{ iteration: 4 }, /last iteration/],
    [{ stopRequested: true }, /stops after this iteration/],
    [{ budget: true }, /budget/],
    [{ evaluates: false }, /nothing to evaluate/],
    [{ enabled: false }, /evaluation.overlap is off/],
  ];
  for (const [change, reason] of cases) {
    const decision = evaluationOverlap({ ...base, ...change });
    assert.equal(decision.overlap, false, JSON.stringify(change));
    assert.match((decision as { reason: string }).reason, reason);
  }
});

test("the progress line and status name the previous iteration's evaluation running beside the rollouts", () => {
  const experiment: ExperimentStatus = { experimentId: 'e', runDir: '/r', iteration: 2, iterations: 3, state: 'running', currentIterationWorkflowId: 'e.i2', algorithm: dagger, results: [], teacherCeiling: null, notices: [] };
  const iteration: IterationProgress = { iteration: 2, phase: 'rollout', episodesDone: 2, episodesTotal: 6, resolved: 1, paused: false, startedAt: 0, evaluating: { iteration: 1, episodesDone: 3, episodesTotal: 5 } };
  assert.equal(
    progressLine({ experiment, iteration }, 20_000),
    "[e] iteration 2/3 running | rollout 2/6 episodes, 1 resolved, ~40 s left | evaluating iteration 1's checkpoint 3/5 episodes",
  );
  assert.match(formatStatus({ experiment, iteration }), /^ {2}beside it: evaluating iteration 1's checkpoint 3\/5 episodes$/m);
  assert.doesNotMatch(progressLine({ experiment, iteration: { ...iteration, evaluating: null } }, 20_000), /evaluating/);
});
