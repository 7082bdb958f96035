import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../config/load';
import { experimentJsonSchema } from '../config/export-json-schema';
import { PROJECT_ROOT } from '../config/paths';

const minimal = {
  name: 'exp',
  algorithm: { kind: 'dagger' },
  teacher: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8000/v1', model: 'teacher' },
  student: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8001/v1', model: 'student', apiKeyEnv: 'STUDENT_KEY' },
  tasks: { suite: 'tasks.jsonl' },
};

test('the default config validates, with paths resolved from its folder', () => {
  const config = loadConfig(path.join(PROJECT_ROOT, 'config', 'default.yaml'));
  assert.equal(config.tasks.suite, path.join(PROJECT_ROOT, 'tasks', 'toy', 'instances.jsonl'));
  assert.equal(config.runRoot, path.join(PROJECT_ROOT, 'runs'));
  assert.equal(config.teacher.kind, 'bundled');
  assert.ok(config.trainer.kind === 'bundled' && config.trainer.demonstrations[0] === path.join(PROJECT_ROOT, 'runs', 'models', 'toy-demos', 'episodes.jsonl'));
  assert.equal(loadConfig(path.join(PROJECT_ROOT, 'config', 'swe.yaml')).tasks.suite, path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl'));
});

test('every config shipped in config/ validates, and its files exist', () => {
  const dir = path.join(PROJECT_ROOT, 'config');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4, files.join(', '));
  for (const file of files) {
    const config = loadConfig(path.join(dir, file));
    assert.ok(existsSync(config.tasks.suite), `${file}: ${config.tasks.suite}`);
    for (const split of [config.tasks.train, config.tasks.heldout]) {
      if (split && split !== 'all' && 'file' in split) assert.ok(existsSync(split.file), `${file}: ${split.file}`);
    }
  }
});

test('defaults fill what a config leaves out', () => {
  const config = parseConfig(minimal);
  assert.equal(config.seed, 0);
  assert.equal(config.rollout.maxTurns, 30);
  assert.deepEqual(config.trainer, { kind: 'none' });
  assert.equal(config.algorithm.kind === 'dagger' && config.algorithm.beta.type, 'linear');
  assert.equal(config.student.kind === 'endpoint' && config.student.temperature, 0.7);
});

test('an invalid config fails naming the exact path and the reason', () => {
  const bad = { ...minimal, algorithm: { kind: 'dagger', beta: { type: 'linear', start: 1.5, end: 0, iterations: 3 } }, rollout: { maxTurnz: 3 } };
  assert.throws(
    () => parseConfig(bad, 'x.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /x\.yaml/);
      assert.ok(err.problems.some((p) => p.startsWith('algorithm.beta.start:') && /<=\s*1/.test(p)), err.message);
      assert.ok(err.problems.some((p) => p.startsWith('rollout:') && p.includes('"maxTurnz"')), err.message);
      return true;
    },
  );
  assert.throws(() => parseConfig({ ...minimal, student: { ...minimal.student, apiKeyEnv: 'sk-123 secret' } }), /student\.apiKeyEnv/);
});

test('a YAML syntax error names the file and the line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const file = path.join(dir, 'broken.yaml');
  writeFileSync(file, 'name: x\nalgorithm: [unclosed\n');
  assert.throws(() => loadConfig(file), (err: unknown) => err instanceof ConfigError && /broken\.yaml/.test(err.message) && /line \d/.test(err.message));
});

test('the committed JSON Schema matches the zod schema (regenerate with `npm run schema`)', () => {
  const committed = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'experiment.schema.json'), 'utf8'));
  assert.deepEqual(committed, experimentJsonSchema());
});

test("a local student's tiny-model recipe: defaults, the toy config's, and a bad template named", () => {
  const local = { ...minimal, student: { kind: 'local', model: 'm', init: 'tiny' } };
  const plain = parseConfig(local).student;
  assert.deepEqual(plain.kind === 'local' && plain.tiny, { template: 'chatml-json', copyWarmupSteps: 0 });
  const toy = loadConfig(path.join(PROJECT_ROOT, 'config', 'toy.yaml')).student;
  assert.equal(toy.kind === 'local' && toy.tiny.template, 'chatml-brief');
  assert.ok(toy.kind === 'local' && toy.tiny.copyWarmupSteps > 0);
  assert.throws(
    () => parseConfig({ ...local, student: { ...local.student, tiny: { template: 'chatml-xml' } } }, 'y.yaml'),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('student.tiny.template:')),
  );
});

test("the bundled trainer's options are checked by the trainer when the config loads, naming the field", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-trainer-options-'));
  const write = (options: string) => {
    const file = path.join(dir, 'exp.yaml');
    writeFileSync(
      file,
      readFileSync(path.join(PROJECT_ROOT, 'config', 'default.yaml'), 'utf8').replace(/^  options: .*$/m, `  options: ${options}`),
    );
    return file;
  };
  assert.doesNotThrow(() => loadConfig(write('{ lr: 0.001, epochs: 2 }')));
  const problem = (options: string) => {
    try {
      loadConfig(write(options));
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.problems.join('\n');
    }
    assert.fail(`options ${options} were accepted`);
  };
  assert.match(problem('{ lrr: 0.001 }'), /trainer\.options: unknown fields \['lrr'\]/);
  assert.match(problem('{ method: qlora }'), /trainer\.options: method must be one of \['full', 'lora'\], got 'qlora'/);
  assert.match(problem('{ epochs: 0 }'), /trainer\.options: epochs must be a positive int/);
  assert.match(problem('{ seed: 4 }'), /set by each train step/);
});
