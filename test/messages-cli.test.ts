/**
 * Messages that bypass the agent-dagger CLI: bad updates, signals and start inputs sent with the real `temporal`
 * CLI are rejected by the workflow itself and leave its state unchanged; `agent-dagger status` reports a failed or
 * terminated experiment as such, with the message; control commands that would change nothing say so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, temporalBinary } from '../config/paths';
import { experimentStatus, startExperiment } from '../cli/experiments';
import { startStack, testConfig } from './support/stack';

const exec = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'bin', 'agent-dagger');

type Failed = { code: number; stdout: string; stderr: string };

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('bad updates, signals and start inputs through the temporal CLI are refused and change nothing; status tells the truth', async () => {
  // Only the orchestrator: the workflows run, no episode does (nothing here needs one).
  const stack = await startStack(testConfig({ iterations: 2 }), { roles: ['orchestrator'] });
  const address = ['--address', stack.server.address];
  const temporal = (...args: string[]) => exec(temporalBinary(), [...args, ...address]);
  const agentDagger = (...args: string[]) => exec(CLI, [...args, ...address]);
  const refused = (pattern: RegExp) => (err: Failed) => {
    assert.notEqual(err.code, 0);
    assert.match(err.stderr + err.stdout, pattern);
    return true;
  };
  try {
    const id = await stack.start();
    const status = () => experimentStatus(stack.client, id).then((s) => s.experiment);
    const before = await until('the status query', status, (s) => s.currentIterationWorkflowId !== null, 180_000);

    // The updates that wedged an experiment: β = 7, a block without β; and a wrong kind, and not an object.
    const badUpdates: [string, RegExp][] = [
      ['{"kind":"dagger","beta":{"type":"constant","value":7},"rejectionSampling":false,"studentProposals":false}', /algorithm\.beta\.value: Too big: expected number to be <=1/],
      ['{"kind":"dagger"}', /algorithm\.beta: missing \(required\)/],
      ['{"kind":"aggrevate","prefix":{"type":"steps","values":[1]},"rejectionSampling":false,"studentProposals":false}', /runs the dagger algorithm/],
      ['"dagger"', /algorithm: Invalid input: expected object, received string/],
    ];
    for (const [input, reason] of badUpdates) {
      await assert.rejects(temporal('workflow', 'update', 'execute', '--workflow-id', id, '--name', 'setSchedule', '--input', input), refused(reason));
    }
    assert.deepEqual((await status()).algorithm, before.algorithm, 'rejected updates change nothing');
    const good = { ...before.algorithm, beta: { type: 'constant', value: 0.25 } };
    await temporal('workflow', 'update', 'execute', '--workflow-id', id, '--name', 'setSchedule', '--input', JSON.stringify(good));
    assert.deepEqual((await status()).algorithm, good, 'a complete, valid block is taken');

    // Signals cannot be refused: a bad one changes nothing and is named by status.
    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'pause', '--input', '"please"');
    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'stop');
    const noted = await until('the notices', status, (s) => s.notices.length === 2);
    assert.equal(noted.state, 'running');
    assert.match(noted.notices[0], /signal pause takes no input, got \["please"\]: ignored/);
    assert.match(noted.notices[1], /unknown signal "stop" ignored \(known: pause, resume, stopAfterIteration\)/);
    const shown = await agentDagger('status', id);
    assert.match(shown.stdout, /note: unknown signal "stop" ignored/);

    // Control commands that would change nothing say so (and exit 1); those that would, act.
    await assert.rejects(agentDagger('resume', id), refused(/is not paused \(running\): nothing to resume/));
    await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'pause');
    await until('the pause', status, (s) => s.state === 'paused');
    await assert.rejects(agentDagger('pause', id), refused(/is already paused/));
    assert.match((await agentDagger('resume', id)).stdout, /resume: sent/);
    await until('the resume', status, (s) => s.state === 'running');

    // A schedule file that is not YAML is reported as a YAML error.
    const yamlFile = path.join(stack.config.runRoot, 'broken.yaml');
    writeFileSync(yamlFile, 'algorithm:\n  kind: dagger\n   beta: [1, 2\n');
    await assert.rejects(agentDagger('set-schedule', id, yamlFile), refused(/broken\.yaml is not valid YAML: .*line \d+/s));

    // A bad start input: the workflow fails at once, naming every problem, and writes nothing.
    const badId = `${id}-bad`;
    const resolved = stack.policies.resolved;
    const badInput = { experimentId: badId, runDir: 'runs/relative', config: { ...resolved, rollout: { ...resolved.rollout, concurrency: 0 } } };
    await temporal('workflow', 'start', '--task-queue', 'orchestrate', '--type', 'experimentWorkflow', '--workflow-id', badId, '--input', JSON.stringify(badInput));
    const failed = await until('the bad start to fail', () => agentDagger('status', badId), (r) => /FAILED/.test(r.stdout));
    assert.match(failed.stdout, /^.*-bad: FAILED: invalid experiment input: runDir: expected an absolute path.*config\.rollout\.concurrency: Too small: expected number to be >0/m);
    assert.equal(existsSync(path.join(PROJECT_ROOT, 'runs', 'relative')), false);
    assert.match((await agentDagger('list')).stdout, new RegExp(`${badId}\\s+FAILED`));
    await assert.rejects(agentDagger('resume', badId), refused(/is not running \(FAILED: invalid experiment input/));
    // Its id is taken on the server (no run directory has it): a new experiment under it is refused before writing.
    await assert.rejects(startExperiment(stack.client, resolved, badId), /a workflow .*-bad exists already on the server \(FAILED\): choose another --id/);
    assert.equal(existsSync(path.join(resolved.runRoot, badId)), false);

    // The same for a sweep started by hand.
    const sweepId = `${id}-sweep`;
    await temporal('workflow', 'start', '--task-queue', 'orchestrate', '--type', 'sweepWorkflow', '--workflow-id', sweepId, '--input', JSON.stringify({ sweepId, sweepDir: 'runs/x', parallel: 0, members: [] }));
    const sweepFailed = await until('the bad sweep to fail', () => agentDagger('status', sweepId), (r) => /FAILED/.test(r.stdout));
    assert.match(sweepFailed.stdout, /-sweep: FAILED: invalid sweep input: sweepDir: expected an absolute path.*parallel: expected a positive integer, got 0; members: expected a non-empty array/);
    await assert.rejects(agentDagger('sweep-status', sweepId), refused(/-sweep: FAILED: invalid sweep input: sweepDir/));

    // A workflow whose tasks fail (here an iteration started by hand with no input) is running but stuck: status says why.
    const stuckId = `${id}-stuck`;
    await temporal('workflow', 'start', '--task-queue', 'orchestrate', '--type', 'iterationWorkflow', '--workflow-id', stuckId, '--input', '{}');
    const stuck = await until('the stuck report', () => agentDagger('status', stuckId), (r) => /stuck/.test(r.stdout));
    assert.match(stuck.stdout, new RegExp(`^${stuckId}: RUNNING but stuck: its workflow tasks fail: .*undefined`, 'm'));
    await temporal('workflow', 'terminate', '--workflow-id', stuckId, '--reason', 'test done');

    // Terminated: status says so, with the reason, and the run directory it reached.
    await temporal('workflow', 'terminate', '--workflow-id', id, '--reason', 'operator ended it');
    const terminated = await until('the termination', () => agentDagger('status', id), (r) => /TERMINATED/.test(r.stdout));
    assert.match(terminated.stdout, new RegExp(`^${id}: TERMINATED: operator ended it$`, 'm'));
    assert.match(terminated.stdout, /reached iteration 1\/2 \(dagger\); run directory: /);
  } finally {
    await stack.close();
  }
});
