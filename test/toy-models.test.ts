import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RECIPE, inputsHash, makeToyModels, outputKeys } from '../cli/toy-models';
import { loadConfig } from '../config/load';
import { PROJECT_ROOT } from '../config/paths';

test('a recipe change remakes exactly the outputs made from it', () => {
  const keys = outputKeys(DEFAULT_RECIPE);
  assert.deepEqual(outputKeys({ ...DEFAULT_RECIPE }), keys, 'the same inputs give the same keys');
  assert.equal(new Set(Object.values(keys)).size, 4, 'every output has its own key');

  const moreTeacher = outputKeys({ ...DEFAULT_RECIPE, teacherEpochs: 4 });
  assert.deepEqual({ ...moreTeacher, teacher: keys.teacher }, keys);
  assert.notEqual(moreTeacher.teacher, keys.teacher);
  // The teacher is trained on from the student: a new student is a new teacher.
  const moreStudent = outputKeys({ ...DEFAULT_RECIPE, studentEpochs: 4 });
  assert.deepEqual({ ...moreStudent, student: keys.student, teacher: keys.teacher }, keys);
  assert.notEqual(moreStudent.student, keys.student);
  assert.notEqual(moreStudent.teacher, keys.teacher);

  const warmup = outputKeys({ ...DEFAULT_RECIPE, copyWarmupSteps: 100 });
  assert.equal(warmup.demos, keys.demos);
  for (const k of ['base', 'student', 'teacher'] as const) assert.notEqual(warmup[k], keys[k], k);

  const fewer = outputKeys({ ...DEFAULT_RECIPE, trainTasks: 8 });
  assert.equal(fewer.base, keys.base);
  for (const k of ['demos', 'student', 'teacher'] as const) assert.notEqual(fewer[k], keys[k], k);

  // Only what changes an output is in its key: the check and the concurrency are not.
  assert.deepEqual(outputKeys({ ...DEFAULT_RECIPE, teacherCheckTasks: 0, concurrency: 1 }), keys);
});

test("an input file's content is in the key, and a missing input is named", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-toy-models-'));
  mkdirSync(path.join(root, 'corpus'));
  writeFileSync(path.join(root, 'corpus', 'a.txt'), 'one');
  writeFileSync(path.join(root, 'b.txt'), 'two');
  const before = inputsHash({ step: 'x' }, ['corpus', 'b.txt'], root);
  writeFileSync(path.join(root, 'corpus', 'a.txt'), 'one!');
  assert.notEqual(inputsHash({ step: 'x' }, ['corpus', 'b.txt'], root), before, 'a file inside a folder');
  writeFileSync(path.join(root, 'corpus', 'a.txt'), 'one');
  assert.equal(inputsHash({ step: 'x' }, ['corpus', 'b.txt'], root), before);
  assert.notEqual(inputsHash({ step: 'y' }, ['corpus', 'b.txt'], root), before, 'the recipe');
  assert.throws(() => inputsHash({}, ['missing.txt'], root), /missing\.txt does not exist/);
});

test('the default config reads the models and demonstrations the set-up makes', () => {
  const config = loadConfig(path.join(PROJECT_ROOT, 'config', 'default.yaml'));
  const root = path.join(PROJECT_ROOT, 'runs', 'models');
  assert.ok(config.student.kind === 'local' && config.student.model === path.join(root, 'toy-student'));
  assert.ok(config.trainer.kind === 'bundled' && config.trainer.model === path.join(root, 'toy-student'));
  assert.deepEqual(config.trainer.kind === 'bundled' && config.trainer.demonstrations, [path.join(root, 'toy-demos', 'episodes.jsonl')]);
  assert.equal(config.tasks.prompt, 'compact', 'the prompt the demonstrations were collected with');
});

test('the chain at a tiny size: every output made once, the student and teacher share a tokenizer, an interrupted collection continues', { timeout: 900_000 }, async () => {
  process.env.OMP_NUM_THREADS ??= '1';
  const root = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-toy-models-'));
  const recipe = { trainTasks: 2, copyWarmupSteps: 10, studentEpochs: 1, teacherEpochs: 1, teacherCheckTasks: 1, concurrency: 2 };
  const dirs = await makeToyModels(root, recipe);
  const records = () => readFileSync(dirs.demonstrations, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const made = records();
  assert.equal(made.length, 2);
  for (const r of made) {
    assert.equal(r.reward, 1, 'the oracle resolves its train tasks');
    assert.deepEqual(r.turns.map((t: { executed: { toolCalls: { name: string }[] } }) => t.executed.toolCalls[0]?.name), ['execute_bash', 'execute_bash', 'str_replace_editor', 'str_replace_editor', 'execute_bash', 'finish']);
  }
  assert.equal(readFileSync(path.join(dirs.student, 'tokenizer.json'), 'utf8'), readFileSync(path.join(dirs.teacher, 'tokenizer.json'), 'utf8'));
  const stamp = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'toy-models.json'), 'utf8'));
  assert.deepEqual(stamp(dirs.teacher).heldOut, { resolved: stamp(dirs.teacher).heldOut.resolved, tasks: 1 });
  const keys = outputKeys(recipe);
  for (const k of ['demos', 'base', 'student', 'teacher'] as const) assert.equal(stamp(dirs[k]).key, keys[k], k);

  // Up to date: nothing is made again.
  const before = Object.fromEntries((['demos', 'base', 'student', 'teacher'] as const).map((k) => [k, statSync(path.join(dirs[k], 'toy-models.json')).mtimeMs]));
  await makeToyModels(root, recipe);
  for (const k of ['demos', 'base', 'student', 'teacher'] as const) assert.equal(statSync(path.join(dirs[k], 'toy-models.json')).mtimeMs, before[k], k);

  // An interrupted collection: the partial file's episode is kept, only the other one runs; the models stay.
  rmSync(dirs.demos, { recursive: true });
  writeFileSync(path.join(root, `toy-demos.partial-${keys.demos.slice(0, 16)}.jsonl`), JSON.stringify({ ...made[0], episodeId: 'kept-from-the-partial-file' }) + '\n');
  await makeToyModels(root, recipe);
  assert.deepEqual(records().map((r) => r.episodeId), ['kept-from-the-partial-file', made[1].episodeId]);
  assert.ok(!existsSync(path.join(root, `toy-demos.partial-${keys.demos.slice(0, 16)}.jsonl`)), 'the partial file is gone once complete');
  for (const k of ['base', 'student', 'teacher'] as const) assert.equal(statSync(path.join(dirs[k], 'toy-models.json')).mtimeMs, before[k], k);
});
