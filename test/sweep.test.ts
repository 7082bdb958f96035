/**
 * Sweeps: methods × seeds expand into validated experiments; the sweep workflow runs them as children under one
 * concurrency budget, survives a SIGKILLed rollout worker, ranks them in its report, and each experiment is found
 * in the Web UI by the DaggerSweep search attribute (through the server's visibility API, as the UI does). A sweep
 * budget in effective samples stops every experiment at the iteration that met it.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../config/load';
import { loadSweep, planSweep, SweepConfigSchema } from '../config/sweep';
import { startSweep } from '../cli/sweep';
import type { SweepResult } from '../workflows/sweep';
import type { ExperimentResult } from '../workflows/experiment';
import type { IterationMetrics } from '../core/records';
import { spawnRolloutWorker, startStack, suiteIds, testConfig, workflowBundle } from './support/stack';
import { PROJECT_ROOT } from '../config/paths';

const METHODS = {
  dagger: { algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0.5 } } },
  sft: { algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 }, rejectionSampling: true } },
  aggrevate: { algorithm: { kind: 'aggrevate', prefix: { type: 'uniform', k0: 3, growth: 0, kMax: 3 } } },
};

before(async () => {
  await workflowBundle();
});

test('a sweep expands methods × seeds into validated experiments sharing one episode budget', () => {
  const base = testConfig({ rollout: { episodesPerIteration: 2, concurrency: 4 } });
  const sweep = SweepConfigSchema.parse({ name: 'cmp', base: '-', seeds: [0, 1], methods: METHODS, concurrency: { experiments: 3, episodes: 7 } });
  const plan = planSweep(sweep, base, 'cmp-1', '/');
  assert.deepEqual(
    plan.experiments.map((e) => e.experimentId),
    ['cmp-1.dagger.s0', 'cmp-1.dagger.s1', 'cmp-1.sft.s0', 'cmp-1.sft.s1', 'cmp-1.aggrevate.s0', 'cmp-1.aggrevate.s1'],
  );
  assert.equal(plan.episodeConcurrency, 2); // floor(7 episodes / 3 experiments at once)
  for (const e of plan.experiments) {
    assert.equal(e.config.seed, e.seed);
    assert.equal(e.config.rollout.concurrency, 2);
    assert.equal(e.config.rollout.episodesPerIteration, 2); // the base's, untouched
    assert.equal(e.config.runRoot, path.join(base.runRoot, 'cmp-1'));
    assert.deepEqual(JSON.parse(JSON.stringify(e.config.tasks)), JSON.parse(JSON.stringify(base.tasks)));
  }
  const sft = plan.experiments.find((e) => e.method === 'sft')!.config.algorithm;
  assert.ok(sft.kind === 'dagger' && sft.rejectionSampling && sft.beta.type === 'constant' && sft.beta.value === 1);
  assert.equal(plan.experiments.find((e) => e.method === 'aggrevate')!.config.algorithm.kind, 'aggrevate');

  // A method may not change what all experiments share (the policies are served once).
  assert.throws(() => SweepConfigSchema.parse({ name: 'x', base: '-', methods: { m: { student: { kind: 'bundled', name: 'oracle' } } } }), /student|unrecognized/i);
  // A bad algorithm is reported with the method's name and the field.
  const bad = SweepConfigSchema.parse({ name: 'x', base: '-', methods: { broken: { algorithm: { kind: 'dagger', beta: { type: 'linear' } } } } });
  assert.throws(
    () => planSweep(bad, base, 'x', '/'),
    (err: unknown) => err instanceof ConfigError && /method "broken"/.test(err.message) && /algorithm\.beta/.test(err.message),
  );
});

test('the shipped sweep files load; the default one compares three methods', () => {
  const dir = path.join(PROJECT_ROOT, 'config', 'sweeps');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.includes('default-methods.yaml'));
  for (const f of files) {
    const plan = loadSweep(path.join(dir, f), 'check');
    assert.ok(Object.keys(plan.sweep.methods).length >= (f === 'default-methods.yaml' ? 3 : 2), `${f} compares methods`);
    assert.ok(plan.experiments.every((e) => e.config.runRoot.endsWith(path.join('runs', 'check'))));
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sweep-'));
  writeFileSync(path.join(tmp, 'bad.yaml'), 'name: bad\nbase: nowhere.yaml\nmethods: { a: {} }\n');
  assert.throws(() => loadSweep(path.join(tmp, 'bad.yaml')), /nowhere\.yaml.*cannot read/s);
});

test('a sweep of three methods survives a SIGKILLed rollout worker, ranks them and is found by search attribute', async () => {
  const ids = suiteIds();
  const base = testConfig({
    rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 3, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    tasks: { suite: path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl'), train: { ids: ids.slice(0, 3) }, heldout: { ids: ids.slice(3, 5) } },
    evaluation: { episodes: 2 },
  });
  const stack = await startStack(base, { roles: ['orchestrator', 'train'] });
  let worker = spawnRolloutWorker(stack.server.address);
  try {
    const sweep = SweepConfigSchema.parse({ name: 'cmp', base: '-', methods: METHODS, concurrency: { experiments: 3, episodes: 3 } });
    const sweepId = `cmp-${Math.random().toString(36).slice(2, 7)}`;
    const plan = planSweep(sweep, base, sweepId, '/');
    const input = await startSweep(stack.client, plan, stack.policies.resolved, sweepId);
    assert.equal(input.members.length, 3);

    // Kill the rollout worker once the experiments are under way, then start a new one.
    const turnsWritten = () =>
      input.members.filter((m) => {
        const dir = path.join(m.runDir, 'episodes');
        return existsSync(dir) && readdirSync(dir).some((e) => existsSync(path.join(dir, e, 'turns', '0.json')));
      }).length;
    const deadline = Date.now() + 120_000;
    while (turnsWritten() < 2) {
      if (Date.now() > deadline) throw new Error('no experiment of the sweep started episodes');
      await new Promise((r) => setTimeout(r, 100));
    }
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    worker = spawnRolloutWorker(stack.server.address);

    const result = (await stack.client.workflow.getHandle(sweepId).result()) as SweepResult;
    assert.deepEqual(result.members.map((m) => m.state), ['done', 'done', 'done'], JSON.stringify(result.members));
    // The ranking holds every experiment, best final success first.
    assert.deepEqual([...result.ranking].sort(), input.members.map((m) => m.experimentId).sort());
    const report = JSON.parse(readFileSync(path.join(input.sweepDir, 'report', 'sweep.json'), 'utf8'));
    const finals: number[] = result.ranking.map((name: string) => report.ranking.find((r: { name: string }) => r.name === name).finalHeldout);
    assert.ok(finals.every((v) => typeof v === 'number'));
    assert.deepEqual(finals, [...finals].sort((a, b) => b - a));
    for (const m of result.members) {
      const row = report.ranking.find((r: { name: string }) => r.name === m.experimentId);
      assert.equal(row.finalHeldout, m.finalSuccess);
    }
    assert.ok(readFileSync(path.join(input.sweepDir, 'report', 'index.html'), 'utf8').includes('plot-sweep-heldout'));
    assert.ok(readFileSync(path.join(input.sweepDir, 'report', 'sweep.csv'), 'utf8').split('\n').length >= 4);
    // Every experiment has its own report too, and the SFT run trained only on resolved trajectories.
    for (const m of input.members) assert.ok(existsSync(path.join(m.runDir, 'report', 'index.html')), m.experimentId);

    // The Web UI's query: experiments of this sweep by search attribute.
    const found: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `DaggerSweep = "${sweepId}" AND WorkflowType = "experimentWorkflow"` })) found.push(wf.workflowId);
    assert.deepEqual([...new Set(found)].sort(), input.members.map((m) => m.experimentId).sort());
  } finally {
    worker.kill('SIGKILL');
    await stack.close();
  }
});

test('a sweep budget is every experiment’s, the same for every method', () => {
  const base = testConfig({ rollout: { episodesPerIteration: 2, concurrency: 2 } });
  const sweep = SweepConfigSchema.parse({ name: 'b', base: '-', methods: METHODS, budget: { effectiveSamples: 40 } });
  const plan = planSweep(sweep, base, 'b-1', '/');
  assert.deepEqual(plan.experiments.map((e) => e.config.budget), [{ effectiveSamples: 40 }, { effectiveSamples: 40 }, { effectiveSamples: 40 }]);
  // Without one, the experiments have none (a method cannot set its own: the budgets are matched).
  assert.ok(planSweep(SweepConfigSchema.parse({ name: 'b', base: '-', methods: METHODS }), base, 'b-2', '/').experiments.every((e) => e.config.budget === undefined));
  assert.throws(() => SweepConfigSchema.parse({ name: 'b', base: '-', methods: { m: { budget: { effectiveSamples: 1 } } } }), /budget|unrecognized/i);
  assert.throws(() => SweepConfigSchema.parse({ name: 'b', base: '-', methods: METHODS, budget: { effectiveSamples: 0 } }), /effectiveSamples/);
});

test('a sweep with a budget in effective samples: each experiment stops after the iteration that met it', async () => {
  const base = testConfig({ iterations: 3, rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 2, sandbox: { commandTimeoutS: 20, memoryMb: 512 } } });
  const stack = await startStack(base);
  try {
    // One labelled turn meets it: every experiment stops after iteration 1 of 3.
    const methods = { dagger: METHODS.dagger, aggrevate: METHODS.aggrevate };
    const sweep = SweepConfigSchema.parse({ name: 'budget', base: '-', methods, budget: { effectiveSamples: 1 }, concurrency: { experiments: 2, episodes: 2 } });
    const sweepId = `budget-${Math.random().toString(36).slice(2, 7)}`;
    const input = await startSweep(stack.client, planSweep(sweep, base, sweepId, '/'), stack.policies.resolved, sweepId);
    const result = (await stack.client.workflow.getHandle(sweepId).result()) as SweepResult;
    assert.deepEqual(result.members.map((m) => [m.state, m.budgetMetAt]), [['done', 1], ['done', 1]], JSON.stringify(result.members));
    for (const m of input.members) {
      const experiment = (await stack.client.workflow.getHandle(m.experimentId).result()) as ExperimentResult;
      assert.equal(experiment.results.length, 1, m.experimentId);
      assert.equal(experiment.stoppedEarly, true);
      const metrics = JSON.parse(readFileSync(path.join(m.runDir, 'metrics', 'iter-1.json'), 'utf8')) as IterationMetrics;
      assert.ok(metrics.dataset.transitions >= 1);
      // Imitation's count is D_i's labelled turns, recorded with its cumulative sum and carried by the experiment.
      assert.deepEqual(metrics.effectiveSamples, { count: metrics.dataset.transitions, cumulative: metrics.dataset.transitions });
      assert.deepEqual(experiment.budget, { effectiveSamples: 1, cumulative: metrics.dataset.transitions, metAtIteration: 1 });
      assert.equal(experiment.results[0].effectiveSamples, metrics.dataset.transitions);
      assert.ok(!existsSync(path.join(m.runDir, 'metrics', 'iter-2.json')), 'no iteration after the budget was met');
      // The report says which iteration met it.
      const report = JSON.parse(readFileSync(path.join(m.runDir, 'report', 'report.json'), 'utf8'));
      assert.deepEqual(report.budget, experiment.budget);
    }
  } finally {
    await stack.close();
  }
});
