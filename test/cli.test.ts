/**
 * The command line and the `temporal` CLI: the README's `temporal workflow start` with a JSON input
 * runs a real experiment, and the project's own commands steer and show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, temporalBinary } from '../config/paths';
import { startStack, testConfig } from './support/stack';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'bin', 'agent-dagger');

test('`temporal workflow start` with a JSON input runs an experiment; status, list and errors through agent-dagger', async () => {
  const config = testConfig({ rollout: { episodesPerIteration: 1, maxTurns: 12, concurrency: 1 } });
  const stack = await startStack(config);
  try {
    const experimentId = 'from-temporal-cli';
    const input = { experimentId, runDir: path.join(config.runRoot, experimentId), config: stack.policies.resolved };
    await run(temporalBinary(), [
      'workflow', 'start',
      '--address', stack.server.address,
      '--task-queue', 'orchestrate',
      '--type', 'experimentWorkflow',
      '--workflow-id', experimentId,
      '--search-attribute', `DaggerExperiment="${experimentId}"`,
      '--input', JSON.stringify(input),
    ]);
    const result = await stack.result(experimentId);
    assert.equal(result.results.length, 1);
    assert.equal(result.results[0].episodes, 1);

    const address = ['--address', stack.server.address];
    const status = await run(CLI, ['status', experimentId, ...address, '--json']);
    const parsed = JSON.parse(status.stdout) as { workflowStatus: string; failure: string | null; status: { experiment: { state: string; results: unknown[] } } };
    assert.equal(parsed.workflowStatus, 'COMPLETED');
    assert.equal(parsed.failure, null);
    assert.equal(parsed.status.experiment.state, 'done');
    assert.equal(parsed.status.experiment.results.length, 1);
    const list = await run(CLI, ['list', ...address]);
    assert.match(list.stdout, new RegExp(`${experimentId}\\s+COMPLETED`));

    // The search attribute the Web UI filters by, checked through the server's visibility API.
    const found = [];
    for await (const wf of stack.client.workflow.list({ query: `DaggerExperiment = '${experimentId}'` })) found.push(wf.workflowId);
    assert.ok(found.includes(experimentId), `visibility query found ${found.join(', ')}`);

    const bad = path.join(config.runRoot, 'bad.yaml');
    writeFileSync(bad, 'name: Bad Name\nalgorithm: { kind: dagger }\n');
    await assert.rejects(run(CLI, ['start', bad, ...address]), (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /invalid experiment config .*bad\.yaml/);
      assert.match(err.stderr, /name: /);
      assert.match(err.stderr, /teacher: /);
      return true;
    });

    // `start` checks what it can first: a missing suite and a dead endpoint fail now, and nothing is written.
    const { teacher, student } = stack.policies.resolved;
    const endpoint = (p: typeof teacher) => `{ kind: endpoint, baseUrl: "${p.baseUrl}", model: ${p.model} }`;
    const startable = (suite: string, studentUrl = student.baseUrl) =>
      [
        'name: checked',
        `runRoot: ${config.runRoot}`,
        'algorithm: { kind: dagger }',
        `teacher: ${endpoint(teacher)}`,
        `student: ${endpoint({ ...student, baseUrl: studentUrl })}`,
        `tasks: { suite: ${suite} }`,
        '',
      ].join('\n');
    const missing = path.join(config.runRoot, 'missing.yaml');
    writeFileSync(missing, startable(path.join(config.runRoot, 'no-such-suite.jsonl'), 'http://127.0.0.1:9/v1'));
    await assert.rejects(run(CLI, ['start', missing, '--id', 'never', ...address]), (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /not started; 2 problem\(s\):/);
      assert.match(err.stderr, /tasks\.suite .*no-such-suite\.jsonl/);
      assert.match(err.stderr, /the student endpoint does not answer \(GET http:\/\/127\.0\.0\.1:9\/v1\/models/);
      return true;
    });
    assert.equal(existsSync(path.join(config.runRoot, 'never')), false, 'nothing written');
    const good = path.join(config.runRoot, 'good.yaml');
    writeFileSync(good, startable(config.tasks.suite));
    const started = await run(CLI, ['start', good, '--id', 'checked-start', ...address]);
    assert.equal(started.stdout.trim(), 'checked-start');
    assert.match(started.stderr, /checked: tasks\.suite .* \(\d+ tasks\)/);
    assert.match(started.stderr, /checked: the teacher endpoint answers \(GET .*\/models: HTTP 200\)/);
    assert.match(started.stderr, /checked: \d+ worker\(s\) poll the orchestrate queue/);
    await stack.client.workflow.getHandle('checked-start').terminate('only the start was under test');
  } finally {
    await stack.close();
  }
});
