/**
 * The objective setting: imitation (the default) runs with any teacher; OPD with a teacher that cannot score the
 * student's own tokens is refused when the config loads, citing the paper; OPD and GRPO roll out the student alone
 * (β = 0) and refuse what contradicts that. Every refusal names its field and says what to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../config/load';

const base = {
  name: 'exp',
  algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0 } },
  student: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8001/v1', model: 'student' },
  teacher: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8000/v1', model: 'teacher' },
  tasks: { suite: 'tasks.jsonl' },
};

function problems(config: Record<string, unknown>): string[] {
  try {
    parseConfig(config, 'x.yaml');
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
}

const withObjective = (objective: string, teacher: Record<string, unknown> = base.teacher) => ({
  ...base,
  algorithm: { ...base.algorithm, objective },
  teacher,
});

test('imitation is the default and runs with any teacher, black-box ones included', () => {
  assert.deepEqual(problems(base), []);
  assert.equal(parseConfig(base).algorithm.objective, undefined);
  assert.deepEqual(problems(withObjective('imitation', { kind: 'bundled', name: 'oracle' })), []);
  assert.deepEqual(problems({ ...withObjective('imitation'), algorithm: { kind: 'aggrevate', objective: 'imitation' } }), []);
});

test('OPD with a teacher that cannot give log-probabilities of the student tokens is refused, citing the paper', () => {
  for (const teacher of [
    { kind: 'bundled', name: 'oracle' },
    { kind: 'bundled', name: 'noisy' },
    base.teacher,
    { ...base.teacher, sharesStudentTokenizer: false },
    { kind: 'local', model: 'teacher-model' },
  ]) {
    const found = problems(withObjective('opd', teacher));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0], /^algorithm\.objective: /);
    assert.match(found[0], /requires the logits from the teacher, which is impossible for black-box LLMs/);
    assert.match(found[0], teacher.kind === 'bundled' ? /scripted policy: it returns actions, no log-probabilities/ : /sharesStudentTokenizer: true/);
    assert.match(found[0], /default objective "imitation"/);
  }
});

const alone = { kind: 'dagger', beta: { type: 'constant', value: 0 } };

test('OPD with a tokenizer-sharing teacher and GRPO with any teacher load when the student acts alone', () => {
  for (const teacher of [
    { ...base.teacher, sharesStudentTokenizer: true },
    { kind: 'local', model: 'teacher-model', sharesStudentTokenizer: true },
  ]) {
    assert.deepEqual(problems(withObjective('opd', teacher)), []);
  }
  assert.deepEqual(problems(withObjective('grpo', { kind: 'bundled', name: 'oracle' })), []);
  const grpo = parseConfig({ ...base, algorithm: { ...alone, objective: 'grpo', groupSize: 4, klCoef: 0.05 }, rollout: { episodesPerIteration: 8 } });
  assert.equal(grpo.algorithm.groupSize, 4);
  assert.deepEqual(problems(withObjective('ppo')).length, 1);
});

test('OPD and GRPO refuse a teacher in the rollouts, rejection sampling, and groups that do not divide the episodes', () => {
  const shared = { ...base.teacher, sharesStudentTokenizer: true };
  const [mixed] = problems({ ...base, teacher: shared, algorithm: { kind: 'dagger', objective: 'opd' } });
  assert.match(mixed, /^algorithm\.beta: objective "opd" trains on the student's own samples, so the student acts alone: use kind: dagger with beta: \{ type: constant, value: 0 \}/);
  const [prefix] = problems({ ...base, algorithm: { kind: 'aggrevate', objective: 'grpo' } });
  assert.match(prefix, /^algorithm\.kind: objective "grpo" trains on the student's own samples/);
  const [rejection] = problems({ ...base, algorithm: { ...alone, objective: 'grpo', rejectionSampling: true } });
  assert.match(rejection, /^algorithm\.rejectionSampling: rejection sampling keeps trajectories for imitation/);
  const [groups] = problems({ ...base, algorithm: { ...alone, objective: 'grpo', groupSize: 3 }, rollout: { episodesPerIteration: 8 } });
  assert.match(groups, /^algorithm\.groupSize: grpo runs groupSize \(3\) rollouts per task, and rollout\.episodesPerIteration \(8\) is not a multiple of it: set episodesPerIteration to 9/);
  // The default G = 8 divides the default 8 episodes.
  assert.deepEqual(problems({ ...base, algorithm: { ...alone, objective: 'grpo' } }), []);
  const [stray] = problems({ ...base, algorithm: { ...alone, klCoef: 0.1 } });
  assert.match(stray, /^algorithm\.klCoef: klCoef is a setting of objective "grpo"/);
});

test('the tokenizer mark is a teacher setting of endpoint and local policies only', () => {
  assert.match(problems({ ...base, teacher: { kind: 'bundled', name: 'oracle', sharesStudentTokenizer: true } }).join('\n'), /sharesStudentTokenizer/);
});
