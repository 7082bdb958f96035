/**
 * The workflow's own message checks (workflows/messages.ts) against the oracle, the zod schema of config/schema.ts:
 * on the shipped configs and thousands of mutations of them, the workflow accepts a value exactly when zod accepts
 * it and returns it unchanged (a complete, validated value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import { validatedConfigJsonSchema } from '../config/export-json-schema';
import { PROJECT_ROOT } from '../config/paths';
import { AlgorithmSchema, ExperimentConfigSchema, type AlgorithmConfig } from '../config/schema';
import {
  CONFIG_SCHEMA,
  SUPPORTED_KEYWORDS,
  checkAlgorithm,
  checkConfig,
  checkExperimentInput,
  checkNoArguments,
  checkScheduleUpdate,
  checkSweepInput,
} from '../workflows/messages';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every config shipped in config/ (and its examples), validated and as JSON (what crosses the wire). */
function shippedConfigs(): Json[] {
  const dirs = [path.join(PROJECT_ROOT, 'config'), path.join(PROJECT_ROOT, 'config', 'examples')];
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => path.join(d, f)));
  assert.ok(files.length >= 6, files.join(', '));
  return files.map((f) => JSON.parse(JSON.stringify(loadConfig(f))) as Json);
}

/** Values that break (or keep) a field of each JSON type. */
const REPLACEMENTS: Json[] = [null, true, false, 0, -1, 0.5, 1, 1.5, 2, 3, 65536, 1e20, '', 'x', ' http://h/v1', 'http://h:1/v1', 'Bad Name', [], {}, ['a'], [0.5]];

/** Mutations of `value`: each field removed, replaced by each of REPLACEMENTS, an unknown field added; recursively. */
function* mutations(value: Json): Generator<Json> {
  for (const r of REPLACEMENTS) yield r;
  if (Array.isArray(value)) {
    yield [];
    for (let i = 0; i < value.length; i++) for (const m of mutations(value[i])) yield value.map((v, j) => (j === i ? m : v));
    yield [...value, 'extra'];
  } else if (value !== null && typeof value === 'object') {
    yield { ...value, bogus: 1 };
    for (const key of Object.keys(value)) {
      const { [key]: _removed, ...rest } = value;
      yield rest;
      for (const m of mutations(value[key])) yield { ...value, [key]: m };
    }
  }
}

/** The oracle: zod accepts `value` and returns it as it is (the workflow takes only complete, validated values). */
function zodAcceptsUnchanged(schema: typeof ExperimentConfigSchema | typeof AlgorithmSchema, value: Json): boolean {
  const parsed = schema.safeParse(value);
  return parsed.success && isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), value);
}

test('the committed workflows/config.schema.json is what config/schema.ts exports now (refresh: npm run schema)', () => {
  const committed = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'workflows', 'config.schema.json'), 'utf8'));
  assert.deepEqual(committed, validatedConfigJsonSchema());
});

test('the exported schema uses only the keywords the workflow checks', () => {
  const used = new Set<string>();
  const walk = (schema: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(schema)) {
      used.add(key);
      if (key === 'properties') for (const s of Object.values(value as Record<string, Record<string, unknown>>)) walk(s);
      else if (key === 'oneOf' || key === 'anyOf') for (const s of value as Record<string, unknown>[]) walk(s);
      else if (['items', 'additionalProperties', 'propertyNames'].includes(key) && typeof value === 'object') walk(value as Record<string, unknown>);
    }
  };
  walk(CONFIG_SCHEMA as Record<string, unknown>);
  assert.deepEqual([...used].filter((k) => !SUPPORTED_KEYWORDS.includes(k)), []);
});

test('the workflow accepts a config exactly when zod accepts it unchanged: shipped configs and their mutations', () => {
  let accepted = 0;
  let rejected = 0;
  for (const config of shippedConfigs()) {
    assert.deepEqual(checkConfig(config), [], 'a shipped config, validated, is accepted');
    for (const mutated of mutations(config)) {
      const expected = zodAcceptsUnchanged(ExperimentConfigSchema, mutated);
      const problems = checkConfig(mutated);
      assert.equal(problems.length === 0, expected, `zod ${expected ? 'accepts' : 'rejects'} ${JSON.stringify(mutated).slice(0, 600)}; the workflow says ${problems.join('; ') || 'ok'}`);
      if (expected) accepted++;
      else rejected++;
    }
  }
  assert.ok(accepted > 500 && rejected > 5000, `accepted ${accepted}, rejected ${rejected}`);
});

test('the evaluation refinement (split needs suite) holds in the workflow too', () => {
  const config = shippedConfigs()[0] as Record<string, Json>;
  const bad = { ...config, evaluation: { ...(config.evaluation as Record<string, Json>), split: 'all' } } as Json;
  assert.equal(ExperimentConfigSchema.safeParse(bad).success, false);
  assert.match(checkConfig(bad).join('\n'), /config\.evaluation\.split: `split` selects ids of `evaluation\.suite`/);
});

test('schedule updates: the workflow accepts exactly the complete algorithm blocks zod accepts, of the running kind', () => {
  const blocks: Json[] = [
    { kind: 'dagger', beta: { type: 'linear', start: 1, end: 0.2, iterations: 3, floor: 0.1 }, rejectionSampling: false, studentProposals: true },
    { kind: 'dagger', beta: { type: 'adaptive', start: 1, factor: 0.5, threshold: 0.6, metric: 'agreement' }, rejectionSampling: true, studentProposals: false },
    { kind: 'dagger', beta: { type: 'steps', values: [1, 0.5] }, rejectionSampling: false, studentProposals: false },
    { kind: 'aggrevate', prefix: { type: 'uniform', k0: 2, growth: 2, kMax: 20 }, rejectionSampling: false, studentProposals: false },
  ];
  let checked = 0;
  for (const block of blocks) {
    assert.deepEqual(checkAlgorithm(block), []);
    for (const mutated of mutations(block)) {
      const expected = zodAcceptsUnchanged(AlgorithmSchema, mutated);
      assert.equal(checkAlgorithm(mutated).length === 0, expected, `${JSON.stringify(mutated)}: ${checkAlgorithm(mutated).join('; ')}`);
      checked++;
    }
  }
  assert.ok(checked > 700, String(checked));
  const current = blocks[0] as AlgorithmConfig;
  // What wedged an experiment before: β = 7, and a block without its β (undefined at the next continue-as-new).
  assert.deepEqual(checkScheduleUpdate({ kind: 'dagger', beta: { type: 'constant', value: 7 }, rejectionSampling: false, studentProposals: false }, current), [
    'algorithm.beta.value: Too big: expected number to be <=1',
  ]);
  assert.deepEqual(checkScheduleUpdate({ kind: 'dagger' }, current), [
    'algorithm.beta: missing (required)',
    'algorithm.rejectionSampling: missing (required)',
    'algorithm.studentProposals: missing (required)',
  ]);
  assert.match(checkScheduleUpdate(blocks[3], current).join(), /runs the dagger algorithm; a "aggrevate" schedule cannot replace it/);
  assert.deepEqual(checkScheduleUpdate(blocks[1], current), []);
});

test('the start input: a validated config with endpoint policies, named by the workflow id, an absolute run directory, no state', () => {
  const base = shippedConfigs().find((c) => (c as { teacher: { kind: string } }).teacher.kind === 'endpoint') as Record<string, Json>;
  assert.ok(base, 'a shipped config with endpoint policies');
  const input = { experimentId: 'e1', runDir: '/runs/e1', config: base };
  const context = { workflowId: 'e1', continued: false };
  assert.deepEqual(checkExperimentInput(input, context), []);
  assert.deepEqual(checkExperimentInput({ ...input, experimentId: 'other' }, context), ['experimentId: must equal the workflow id "e1", got "other"']);
  assert.match(checkExperimentInput({ ...input, runDir: 'runs/e1' }, context).join(), /runDir: expected an absolute path/);
  assert.match(checkExperimentInput({ ...input, state: {} }, context).join(), /state: only the workflow itself/);
  assert.deepEqual(checkExperimentInput({ ...input, state: {} }, { ...context, continued: true }), []);
  const bundled = { ...input, config: { ...base, teacher: { kind: 'bundled', name: 'oracle', noise: 0.3, temperature: 0, topP: 0.9, maxTokens: 2048, timeoutS: 300, toolFormat: 'native' } } };
  assert.deepEqual(checkExperimentInput(bundled, context), [
    'config.teacher.kind: a started workflow needs an endpoint, got "bundled" (`agent-dagger run` serves bundled and local policies and passes their URLs)',
  ]);
  assert.match(checkExperimentInput({ ...input, config: { ...base, rollout: { ...(base.rollout as object), concurrency: 0 } } }, context).join(), /config\.rollout\.concurrency: Too small: expected number to be >0/);
  assert.match(checkExperimentInput('{"experimentId":"e1"}', context).join(), /expected an object/);
  assert.match(checkExperimentInput({ ...input, extra: 1 }, context).join(), /unknown field\(s\) "extra"/);
});

test('the sweep input: named by the workflow id, absolute directories, a positive parallelism, every member a valid start', () => {
  const config = shippedConfigs().find((c) => (c as { teacher: { kind: string } }).teacher.kind === 'endpoint') as Record<string, Json>;
  const member = { experimentId: 's.dagger.s1', method: 'dagger', seed: 1, runDir: '/runs/s.dagger.s1', config };
  const input = { sweepId: 's', sweepDir: '/runs/s', parallel: 2, members: [member] };
  assert.deepEqual(checkSweepInput(input, { workflowId: 's' }), []);
  assert.deepEqual(checkSweepInput({ ...input, parallel: 0, sweepDir: 'runs/s' }, { workflowId: 's' }), [
    'sweepDir: expected an absolute path, got "runs/s"',
    'parallel: expected a positive integer, got 0',
  ]);
  assert.deepEqual(checkSweepInput({ ...input, members: [] }, { workflowId: 's' }), ['members: expected a non-empty array, got []']);
  const bad = { ...member, seed: -1, config: { ...config, iterations: 0 } };
  assert.deepEqual(checkSweepInput({ ...input, members: [member, bad] }, { workflowId: 's' }), [
    'members.1.seed: expected a non-negative integer, got -1',
    'members.1.config.iterations: Too small: expected number to be >0',
  ]);
  assert.match(checkSweepInput(input, { workflowId: 'other' }).join(), /sweepId: must equal the workflow id "other"/);
});

test('signals without arguments: an empty input passes, anything else is named and ignored', () => {
  assert.equal(checkNoArguments('pause', []), null);
  assert.equal(checkNoArguments('pause', [null]), null);
  assert.equal(checkNoArguments('pause', [true]), 'signal pause takes no input, got [true]: ignored');
});
