/** The terminal view: the results table (with the teacher ceiling) and the live progress line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResults, progressLine } from '../cli/progress';
import { rolloutStats, type IterationSummary } from '../core/records';

const row = (iteration: number, over: Partial<IterationSummary> = {}): IterationSummary => ({
  iteration,
  mixing: `beta=${1 - 0.4 * (iteration - 1)}`,
  episodes: 6,
  resolved: 3,
  successRate: 0.5,
  teacherFraction: 0.75,
  transitions: 40,
  retries: 0,
  evalSuccessRate: 0.25,
  evalInterval: [0.05, 0.7],
  agreement: 0.6,
  trainLoss: 1.5,
  studentModel: 'student',
  teacherCeiling: null,
  ...over,
});

test('the results table names every iteration and the teacher-alone ceiling when it was measured', () => {
  const without = formatResults([row(1), row(2)]);
  assert.equal(without.split('\n').length, 3);
  assert.doesNotMatch(without, /ceiling/);
  const ceiling = { ...rolloutStats([]), model: 'oracle', episodes: 4, resolved: 3, successRate: 0.75, interval: [0.3, 0.95] as [number, number] };
  const withCeiling = formatResults([row(1, { teacherCeiling: ceiling }), row(2)]);
  assert.match(withCeiling, /^ {5}1 {2}beta=1 /m);
  assert.match(withCeiling, /ceiling\): 3\/4 75\.0% \(30–95%\), oracle$/m);
  assert.match(withCeiling, /25\.0% \(5–70%\)/);
});

test('the progress line counts episodes and estimates the time left from the episodes done', () => {
  const line = progressLine(
    {
      experiment: { experimentId: 'e', runDir: '/r', iteration: 2, iterations: 3, state: 'running', currentIterationWorkflowId: 'e.i2', algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0.5 }, rejectionSampling: false, studentProposals: false }, results: [], teacherCeiling: null, notices: [] },
      iteration: { iteration: 2, phase: 'rollout', episodesDone: 2, episodesTotal: 6, resolved: 1, paused: false, startedAt: 0 } as never,
    },
    20_000,
  );
  assert.equal(line, '[e] iteration 2/3 running | rollout 2/6 episodes, 1 resolved, ~40 s left');
});

test('the results table starts with the student before training and lists other suites per iteration', () => {
  const suite = (name: string, resolved: number, episodes: number) => ({ name, resolved, episodes, successRate: resolved / episodes, interval: [0.1, 0.6] as [number, number] });
  const table = formatResults([row(1, { initial: [suite('heldout', 0, 4), suite('verified', 1, 4)], suites: [suite('heldout', 2, 4), suite('verified', 3, 4)] }), row(2)]);
  assert.match(table, /^ {5}0 {2}before training: the student alone, heldout 0\/4 0\.0% \(10–60%\); verified 1\/4 25\.0% \(10–60%\)$/m);
  assert.match(table, /^ {2}iteration 1, other suites: verified 3\/4 75\.0% \(10–60%\)$/m);
  assert.ok(table.indexOf('before training') < table.indexOf('beta=1'), 'iteration 0 comes first');
});
