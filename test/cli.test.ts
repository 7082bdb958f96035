/**
 * The command line and the `temporal` CLI: the README's `temporal workflow start` with a JSON input
 * runs a real experiment, and the project's own commands steer and show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  } finally {
    await stack.close();
  }
});
