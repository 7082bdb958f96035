/**
 * The example configs of the paper's setup (config/examples/) load through the real loader and say what the paper
 * says; evaluation on a separate suite and the teacher-ceiling evaluation run through the real workflows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { createDatasetActivities } from '../activities/dataset';
import { experimentStatus } from '../cli/experiments';
import { loadConfig, parseConfig } from '../config/load';
import { PROJECT_ROOT } from '../config/paths';
import { betaAt } from '../core/schedules';
import { wilsonInterval } from '../core/stats';
import type { TurnRecord } from '../core/types';
import { loadTaskSet } from '../env/swe/instances';
import type { EpisodeInput } from '../workflows/episode';
import { SUITE, startStack, suiteIds, testConfig } from './support/stack';

const EXAMPLES = path.join(PROJECT_ROOT, 'config', 'examples');
const DATA = path.join(PROJECT_ROOT, 'data');
const PAPER = {
  'paper-qwen3-4b.yaml': { student: 'Qwen3-4B-Instruct-2507' },
  'paper-qwen3-8b.yaml': { student: 'Qwen3-8B' },
} as const;

test('every example config loads through the real loader, its paths resolved from its folder', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(files.filter((f) => f in PAPER).sort(), Object.keys(PAPER).sort());
  for (const file of files) {
    // The loader validates the schema and resolves paths; it does not require the data to exist yet.
    const config = loadConfig(path.join(EXAMPLES, file));
    assert.ok(path.isAbsolute(config.tasks.suite) && path.isAbsolute(config.runRoot), file);
    if (config.evaluation.suite) assert.ok(path.isAbsolute(config.evaluation.suite), file);
  }
});

test("the paper configs hold the paper's setup", () => {
  for (const [file, expected] of Object.entries(PAPER)) {
    const config = loadConfig(path.join(EXAMPLES, file));
    assert.equal(config.iterations, 5, file);
    assert.ok(config.student.kind === 'endpoint' && config.teacher.kind === 'endpoint', file);
    assert.equal(config.student.model, expected.student);
    assert.equal(config.teacher.model, 'Qwen3-Coder-30B-A3B-Instruct');
    for (const policy of [config.student, config.teacher]) {
      assert.equal(policy.temperature, 0.7, file);
      assert.equal(policy.topP, 0.9, file);
    }
    // β_i = max(0.6, 1 − 0.2(i − 1)) over the 5 iterations.
    assert.equal(config.algorithm.kind, 'dagger');
    const betas = [1, 2, 3, 4, 5].map((i) => config.algorithm.kind === 'dagger' && Number(betaAt(config.algorithm.beta, i).toFixed(6)));
    assert.deepEqual(betas, [1, 0.8, 0.6, 0.6, 0.6], file);
    assert.equal(config.rollout.episodesPerIteration, 512);
    assert.equal(config.rollout.maxTurns, 100);

    assert.equal(config.tasks.suite, path.join(DATA, 'swe-gym', 'instances.jsonl'));
    assert.deepEqual(config.tasks.heldout, { file: path.join(DATA, 'swe-gym', 'splits', 'heldout.txt') });
    assert.equal(config.evaluation.suite, path.join(DATA, 'swe-bench-verified', 'instances.jsonl'));
    assert.deepEqual(config.evaluation.split, { file: path.join(DATA, 'swe-bench-verified', 'splits', 'no-matplotlib.txt') });
    assert.equal(config.evaluation.temperature, 0, 'greedy evaluation');
    assert.equal(config.evaluation.teacherCeiling, true);
    assert.ok(config.evaluation.episodes >= 466, 'every non-Matplotlib Verified instance');

    assert.equal(config.trainer.kind, 'bundled');
    if (config.trainer.kind !== 'bundled') continue;
    assert.equal(config.trainer.model, path.join(PROJECT_ROOT, 'models', expected.student));
    assert.equal(config.trainer.continueFromPrevious, false, 'each adapter is trained on the base vLLM serves');
    const options = config.trainer.options as Record<string, unknown>;
    assert.equal(options.method, 'lora');
    assert.equal(options.lr, 3e-6);
    assert.equal(options.epochs, 3);
    assert.equal(options.batch_size, 16);
    assert.equal(options.max_seq_len, 65536);
    assert.equal(options.dtype, 'bf16');
    assert.equal(options.device, 'cuda');
    assert.deepEqual(config.deploy, { kind: 'load-adapter' });

    // The vLLM command in the header serves adapters of the configured rank.
    const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
    const rank = Number(/--max-lora-rank (\d+)/.exec(text)?.[1]);
    assert.equal(rank, (options.lora as { r: number }).r, `${file}: --max-lora-rank matches lora.r`);
    assert.match(text, /VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve .*\n.*--served-model-name (\S+)/);
    assert.equal(/--served-model-name (\S+) --port 8000/.exec(text)?.[1], expected.student);
    assert.match(text, /--enable-lora/);
    assert.match(text, /--tool-call-parser qwen3_coder/);
  }
});

test("the trainer accepts the paper configs' options", () => {
  const python = path.join(PROJECT_ROOT, '.venv', 'bin', 'python');
  for (const file of Object.keys(PAPER)) {
    const config = loadConfig(path.join(EXAMPLES, file));
    assert.ok(config.trainer.kind === 'bundled');
    const raw = { ...config.trainer.options, datasets: ['d.jsonl'], model: config.trainer.model, output_dir: 'out', init_from: null, seed: 0 };
    const out = execFileSync(
      python,
      ['-c', 'import json, sys; from agent_dagger_trainer.config import validate_config; print(json.dumps(validate_config(json.loads(sys.argv[1]))))', JSON.stringify(raw)],
      { env: { ...process.env, PYTHONPATH: path.join(PROJECT_ROOT, 'trainer') }, encoding: 'utf8' },
    );
    const validated = JSON.parse(out) as { method: string; lora: { r: number; target_modules: string[] }; gradient_checkpointing: boolean };
    assert.equal(validated.method, 'lora', file);
    assert.equal(validated.lora.r, 64);
    assert.ok(validated.lora.target_modules.includes('down_proj'));
    assert.equal(validated.gradient_checkpointing, true);
  }
});

test('the baselines named in the headers (--set) load on the same setup', () => {
  for (const file of Object.keys(PAPER)) {
    const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
    const sets = [...text.matchAll(/--set "algorithm=(\{.*\})"/g)].map((m) => parseDocument(m[1]).toJS() as Record<string, unknown>);
    assert.equal(sets.length, 2, file);
    const kinds = sets.map((algorithm) => {
      const config = loadConfig(path.join(EXAMPLES, file), { algorithm });
      return config.algorithm.kind === 'dagger' ? `dagger beta=${betaAt(config.algorithm.beta, 3)} rs=${config.algorithm.rejectionSampling}` : 'aggrevate';
    });
    assert.deepEqual(kinds, ['dagger beta=1 rs=true', 'aggrevate']);
  }
});

test('evaluation.split needs evaluation.suite; both resolve like the other paths', () => {
  const base = testConfig();
  assert.throws(() => parseConfig({ ...base, evaluation: { episodes: 1, split: 'all' } }), /evaluation\.split: .*set `suite`/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eval-config-'));
  const file = path.join(dir, 'c.yaml');
  writeFileSync(
    file,
    [
      'name: c',
      'algorithm: { kind: dagger }',
      'teacher: { kind: bundled, name: oracle }',
      'student: { kind: bundled, name: noisy }',
      'tasks: { suite: tasks.jsonl }',
      'evaluation: { episodes: 2, suite: ../verified/instances.jsonl, split: { file: ids.txt } }',
    ].join('\n'),
  );
  const config = loadConfig(file);
  assert.equal(config.evaluation.suite, path.join(path.dirname(dir), 'verified', 'instances.jsonl'));
  assert.deepEqual(config.evaluation.split, { file: path.join(dir, 'ids.txt') });
  assert.equal(config.evaluation.teacherCeiling, false);
  assert.equal('suite' in loadConfig(path.join(PROJECT_ROOT, 'config', 'toy.yaml')).evaluation, false);
});

/** A suite of some swe-mini instances in another folder (their repo_dir made absolute), as a separate evaluation set. */
function separateSuite(ids: string[]): string {
  const rows = readFileSync(SUITE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { instance_id: string; repo_dir: string })
    .filter((row) => ids.includes(row.instance_id))
    .map((row) => ({ ...row, repo_dir: path.resolve(path.dirname(SUITE), row.repo_dir) }));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'eval-suite-')), 'instances.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  return file;
}

test('listTasks: evaluation ids come from the evaluation suite; the same suite keeps them out of training', async () => {
  const ids = suiteIds();
  const { listTasks } = createDatasetActivities({ taskIds: (suite) => loadTaskSet(suite).instances.map((i) => i.instance_id) });
  const other = separateSuite(ids.slice(10, 14));
  const separate = await listTasks({ suite: SUITE, train: { ids: ids.slice(0, 5) }, heldout: { ids: [ids[4]] }, evaluation: { suite: other, split: { ids: [ids[12], ids[11]] } } });
  assert.deepEqual(separate, { train: ids.slice(0, 4), heldout: [ids[4]], evaluation: [ids[12], ids[11]] });
  assert.deepEqual((await listTasks({ suite: SUITE, train: 'all', evaluation: { suite: other } })).evaluation, ids.slice(10, 14));
  await assert.rejects(listTasks({ suite: SUITE, train: 'all', evaluation: { suite: other, split: { ids: [ids[0]] } } }), /not in .*eval-suite/);
  // Evaluating on a split of the task suite itself: those ids are never trained on.
  const same = await listTasks({ suite: SUITE, train: { ids: ids.slice(0, 5) }, evaluation: { suite: SUITE, split: { ids: [ids[1], ids[3]] } } });
  assert.deepEqual(same.train, [ids[0], ids[2], ids[4]]);
  assert.deepEqual(same.evaluation, [ids[1], ids[3]]);
  // Without an evaluation suite the held-out split is what the evaluation draws from.
  assert.deepEqual((await listTasks({ suite: SUITE, train: 'all', heldout: { ids: [ids[7]] } })).evaluation, [ids[7]]);
});

test('images: SWE-bench rows (with environment_setup_commit) get SWE-bench images, SWE-Gym rows SWE-Gym images', () => {
  const row = { repo: 'o/r', base_commit: 'a'.repeat(40), problem_statement: 'p', patch: '', test_patch: '', FAIL_TO_PASS: '[]', PASS_TO_PASS: [] };
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'images-')), 'instances.jsonl');
  const rows = [
    { ...row, instance_id: 'django__django-11099', environment_setup_commit: 'b'.repeat(40) },
    { ...row, instance_id: 'getmoto__moto-5752' },
    { ...row, instance_id: 'x__y-1', environment_setup_commit: 'c'.repeat(40), image: 'my/image:1' },
  ];
  writeFileSync(file, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  assert.deepEqual(
    loadTaskSet(file).instances.map((i) => i.image),
    ['swebench/sweb.eval.x86_64.django_1776_django-11099', 'xingyaoww/sweb.eval.x86_64.getmoto_s_moto-5752', 'my/image:1'],
  );
  assert.deepEqual(
    loadTaskSet(file, { imageFamily: 'swe-gym' }).instances.map((i) => i.image),
    ['xingyaoww/sweb.eval.x86_64.django_s_django-11099', 'xingyaoww/sweb.eval.x86_64.getmoto_s_moto-5752', 'my/image:1'],
  );
});

test('evaluation on a separate suite, and the teacher alone as the ceiling, through the workflows', async () => {
  const ids = suiteIds();
  const evalIds = [ids[9], ids[17]];
  const evalSuite = separateSuite(evalIds);
  const config = testConfig({
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 } },
    // The configured rollout temperature; the ceiling must decode with the evaluation's (greedy) instead.
    teacher: { kind: 'bundled', name: 'oracle', temperature: 0.5, timeoutS: 5 },
    tasks: { suite: SUITE, train: { ids: [ids[0]] }, heldout: { ids: [ids[1]] } },
    rollout: { episodesPerIteration: 1, maxTurns: 12, concurrency: 4, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    evaluation: { episodes: 5, suite: evalSuite, split: { ids: evalIds }, teacherCeiling: true },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const runDir = result.runDir;
    const metrics = JSON.parse(readFileSync(path.join(runDir, 'metrics', 'iter-1.json'), 'utf8'));
    const manifest = (episodeId: string) => JSON.parse(readFileSync(path.join(runDir, 'episodes', episodeId, 'episode.json'), 'utf8'));
    const turns = (episodeId: string) => {
      const dir = path.join(runDir, 'episodes', episodeId, 'turns');
      return readdirSync(dir);
    };

    // The student's evaluation: each task of the separate suite once (5 episodes asked, 2 tasks), none of tasks.heldout.
    assert.equal(metrics.evaluation.episodes, 2);
    assert.equal(metrics.evaluationSuite, evalSuite);
    const evalEpisodes = [`${id}.i1.eval0`, `${id}.i1.eval1`];
    assert.deepEqual(evalEpisodes.map((e) => manifest(e).taskId).sort(), [...evalIds].sort());
    for (const e of evalEpisodes) {
      assert.equal(manifest(e).suite, evalSuite);
      assert.equal(turns(e).filter((f) => f.endsWith('.teacher.json')).length, 0, 'the student alone');
    }
    assert.equal(existsSync(path.join(runDir, 'episodes', `${id}.i1.eval2`)), false);

    // The ceiling: the teacher alone on the same tasks, greedy, recorded in the metrics, the summary and the status.
    const ceilingEpisodes = [`${id}.ceiling.e0`, `${id}.ceiling.e1`];
    assert.deepEqual(ceilingEpisodes.map((e) => manifest(e).taskId), evalEpisodes.map((e) => manifest(e).taskId));
    for (const e of ceilingEpisodes) {
      assert.equal(manifest(e).suite, evalSuite);
      const files = turns(e);
      assert.equal(files.filter((f) => f.endsWith('.student.json')).length, 0, 'no student call');
      const records = files.filter((f) => /^\d+\.json$/.test(f)).map((f) => JSON.parse(readFileSync(path.join(runDir, 'episodes', e, 'turns', f), 'utf8')) as TurnRecord);
      assert.ok(records.length >= 3 && records.every((r) => r.executor === 'teacher' && r.mixing.kind === 'dagger' && r.mixing.beta === 1));
      const history = await stack.client.workflow.getHandle(e).fetchHistory();
      const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
      const input = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as EpisodeInput;
      assert.equal(input.teacher?.temperature, 0, 'greedy, as the evaluation');
      assert.equal(input.teacher?.model, 'oracle');
    }
    const expected = { episodes: 2, resolved: 2, successRate: 1, interval: wilsonInterval(2, 2), model: 'oracle' };
    assert.deepEqual(
      { episodes: metrics.teacherCeiling.episodes, resolved: metrics.teacherCeiling.resolved, successRate: metrics.teacherCeiling.successRate, interval: metrics.teacherCeiling.interval, model: metrics.teacherCeiling.model },
      expected,
    );
    assert.deepEqual(result.results[0].teacherCeiling, expected);
    assert.deepEqual((await experimentStatus(stack.client, id)).experiment.teacherCeiling, expected);
    const report = JSON.parse(readFileSync(path.join(runDir, 'reports', 'eval', 'teacher-ceiling', 'report.json'), 'utf8'));
    assert.equal(report.resolved_instances, 2);

    // Neither evaluation goes into D_1: only the one rollout episode does.
    assert.equal(metrics.dataset.trajectories, 1);
  } finally {
    await stack.close();
  }
});

test('several evaluation suites, each with its own interval, and the starting student as iteration 0', async () => {
  const ids = suiteIds();
  const otherSuite = separateSuite([ids[9], ids[17]]);
  // An evaluation suite that is the task suite itself keeps its ids out of training.
  const { listTasks } = createDatasetActivities({ taskIds: (suite) => loadTaskSet(suite).instances.map((i) => i.instance_id) });
  const split = await listTasks({ suite: SUITE, train: { ids: ids.slice(0, 4) }, suites: [{ name: 'more', suite: SUITE, split: { ids: [ids[2]] } }] });
  assert.deepEqual(split.train, [ids[0], ids[1], ids[3]]);
  assert.deepEqual(split.suites, { more: [ids[2]] });

  const config = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 } },
    tasks: { suite: SUITE, train: { ids: [ids[0]] }, heldout: { ids: [ids[1], ids[2]] } },
    rollout: { episodesPerIteration: 1, maxTurns: 12, concurrency: 4, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    evaluation: { episodes: 2, suites: [{ name: 'other', suite: otherSuite, episodes: 1 }] },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const runDir = result.runDir;
    const metrics = (i: number) => JSON.parse(readFileSync(path.join(runDir, 'metrics', `iter-${i}.json`), 'utf8'));
    const manifest = (episodeId: string) => JSON.parse(readFileSync(path.join(runDir, 'episodes', episodeId, 'episode.json'), 'utf8'));
    const m1 = metrics(1);
    for (const evaluations of [m1.evaluations, m1.initial]) {
      assert.deepEqual(evaluations.map((e: { name: string }) => e.name), ['heldout', 'other']);
      assert.deepEqual(evaluations.map((e: { episodes: number }) => e.episodes), [2, 1]);
      for (const e of evaluations) assert.deepEqual(e.interval, wilsonInterval(e.resolved, e.episodes), e.name);
      assert.equal(evaluations[1].suite, otherSuite);
    }
    // The held-out suite's numbers are also the iteration's `evaluation`.
    assert.equal(m1.evaluation.resolved, m1.evaluations[0].resolved);
    // Iteration 0: the same tasks, the student alone, before any training; once per experiment.
    assert.deepEqual([0, 1].map((k) => manifest(`${id}.i0.eval${k}`).taskId), [0, 1].map((k) => manifest(`${id}.i1.eval${k}`).taskId));
    assert.equal(manifest(`${id}.i0.other.eval0`).suite, otherSuite);
    assert.equal(readdirSync(path.join(runDir, 'episodes', `${id}.i0.eval0`, 'turns')).filter((f) => f.endsWith('.teacher.json')).length, 0);
    assert.equal(metrics(2).initial, null);
    assert.ok(existsSync(path.join(runDir, 'reports', 'eval', 'iter-0', 'report.json')));
    assert.ok(existsSync(path.join(runDir, 'reports', 'eval-other', 'iter-2', 'report.json')));
    // The experiment carries each suite's success; the report starts its curves at iteration 0.
    assert.deepEqual(result.results[0].suites?.map((s) => s.name), ['heldout', 'other']);
    assert.deepEqual(result.results[0].initial?.map((s) => s.episodes), [2, 1]);
    assert.equal(result.results[1].initial, null);
    const report = JSON.parse(readFileSync(path.join(runDir, 'report', 'report.json'), 'utf8'));
    assert.deepEqual(report.initial.map((s: { name: string }) => s.name), ['heldout', 'other']);
    assert.deepEqual(report.iterations[1].suites.map((s: { name: string }) => s.name), ['heldout', 'other']);
  } finally {
    await stack.close();
  }
});
