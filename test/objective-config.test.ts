/**
 * The objective setting: imitation (the default) runs with any teacher; OPD with a teacher that cannot score the
 * student's own tokens is refused when the config loads, citing the paper; OPD and GRPO are refused while the
 * rollouts do not record what they train on. Every refusal names algorithm.objective and says what to do.
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

test('OPD with a tokenizer-sharing teacher, and GRPO, are refused only because the rollouts do not collect their data yet', () => {
  for (const teacher of [
    { ...base.teacher, sharesStudentTokenizer: true },
    { kind: 'local', model: 'teacher-model', sharesStudentTokenizer: true },
  ]) {
    const [found, ...rest] = problems(withObjective('opd', teacher));
    assert.deepEqual(rest, []);
    assert.match(found, /^algorithm\.objective: objective "opd" is not collected yet/);
    assert.doesNotMatch(found, /black-box/);
  }
  const [grpo] = problems(withObjective('grpo', { kind: 'bundled', name: 'oracle' }));
  assert.match(grpo, /objective "grpo" is not collected yet: .*per-task groups of rewards/);
  assert.deepEqual(problems(withObjective('ppo')).length, 1);
});

test('the tokenizer mark is a teacher setting of endpoint and local policies only', () => {
  assert.match(problems({ ...base, teacher: { kind: 'bundled', name: 'oracle', sharesStudentTokenizer: true } }).join('\n'), /sharesStudentTokenizer/);
});
