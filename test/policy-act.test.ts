/**
 * The policy activity against the bundled OpenAI-protocol server: one call per turn is asked for
 * (`parallel_tool_calls: false`), a teacher reply that is no valid label is asked again and then recorded as a
 * teacher error that the dataset leaves out, and every paid request is accounted: a worker killed during a slow
 * teacher call costs one request paid twice (counted), and an answer the dead attempt had recorded is reused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { act, type ActInput, type ActSummary } from '../activities/policy';
import { createDatasetActivities } from '../activities/dataset';
import { episodeCallStats, TEACHER_LABEL_TRIES, type RecordedPolicyOutput } from '../activities/policy-records';
import type { EndpointPolicy } from '../config/schema';
import { TRAJECTORY_SCHEMA, TURN_SCHEMA, type TrajectoryRecord } from '../core/types';
import { TOOLS } from '../env/tools/definitions';
import { startPolicyServer, type Policy, type PolicyRequest, type PolicyServer } from '../policies/server';
import { RunStore } from '../store/run-store';
import { testManifest } from './support/manifest';

const ROOT = path.join(__dirname, '..');
const CALL = { id: 'c1', name: 'execute_bash', arguments: JSON.stringify({ command: 'ls' }) };

function endpoint(server: PolicyServer, extra: Partial<EndpointPolicy> = {}): EndpointPolicy {
  return { kind: 'endpoint', baseUrl: server.url, model: 'teacher', temperature: 0.7, topP: 0.9, maxTokens: 256, timeoutS: 30, toolFormat: 'native', ...extra } as EndpointPolicy;
}

async function episode(runDir: string, episodeId: string): Promise<void> {
  await new RunStore(runDir).putJson(new RunStore(runDir).manifestKey(episodeId), testManifest(episodeId));
}

function input(runDir: string, episodeId: string, policy: EndpointPolicy, role: 'teacher' | 'student' = 'teacher'): ActInput {
  return { runDir, episodeId, turn: 0, role, policy, model: policy.model, seed: 7 };
}

const output = (runDir: string, episodeId: string, role: 'teacher' | 'student' = 'teacher') =>
  new RunStore(runDir).readPolicy(episodeId, 0, role) as Promise<RecordedPolicyOutput>;

test('one call per turn is asked for, and a reply holding two keeps the first', async () => {
  const seen: PolicyRequest[] = [];
  const policy: Policy = (request) => {
    seen.push(request);
    return { content: '', toolCalls: [CALL, { ...CALL, id: 'c2', arguments: JSON.stringify({ command: 'pwd' }) }] };
  };
  const server = await startPolicyServer({ policy, name: 'teacher' });
  try {
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'act-'));
    await episode(runDir, 'e');
    const summary = (await new MockActivityEnvironment().run(act, input(runDir, 'e', endpoint(server)))) as ActSummary;
    assert.equal(seen[0]!.parallel_tool_calls, false);
    assert.deepEqual([summary.parseError, summary.tool], [false, 'execute_bash']);
    assert.deepEqual((await output(runDir, 'e')).action.toolCalls, [{ id: 'c1', name: 'execute_bash', arguments: { command: 'ls' } }]);

    // Text mode sends no tools and stops where OpenHands stops (`</function`).
    const text = mkdtempSync(path.join(os.tmpdir(), 'act-'));
    episode(text, 'e');
    await new MockActivityEnvironment().run(act, input(text, 'e', endpoint(server, { toolFormat: 'text' })));
    assert.equal(seen[1]!.tools.length, 0);
  } finally {
    await server.close();
  }
});

test('a teacher reply that is no valid label is asked again, then recorded as a teacher error and never trained on', async () => {
  // Prose (no call) unless the seed is one of `valid`: each retry comes with another seed.
  const seeds: number[] = [];
  let valid = new Set<number>();
  const policy: Policy = (request) => {
    seeds.push(request.seed!);
    return valid.has(request.seed!) ? { content: 'ok', toolCalls: [CALL] } : { content: 'I think the bug is in calc.py.', toolCalls: [] };
  };
  const server = await startPolicyServer({ policy, name: 'teacher' });
  try {
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'act-'));
    const store = new RunStore(runDir);
    await episode(runDir, 'bad');
    const summary = (await new MockActivityEnvironment().run(act, input(runDir, 'bad', endpoint(server)))) as ActSummary;
    assert.equal(summary.parseError, true);
    assert.equal(seeds.length, TEACHER_LABEL_TRIES);
    assert.equal(new Set(seeds).size, TEACHER_LABEL_TRIES, 'each try has its own seed');
    const bad = await output(runDir, 'bad');
    assert.match(bad.teacherError ?? '', /no valid label after 3 tries: the reply does not parse/);
    assert.deepEqual([bad.calls?.calls, bad.calls?.answered, bad.calls?.labelRetries, bad.calls?.paidDuplicates], [3, 3, 2, 0]);

    // The second try's seed answers well: a valid label, one retry.
    valid = new Set([seeds[1]!]);
    seeds.length = 0;
    await episode(runDir, 'good');
    await new MockActivityEnvironment().run(act, input(runDir, 'good', endpoint(server)));
    const good = await output(runDir, 'good');
    assert.equal(good.teacherError, undefined);
    assert.deepEqual([good.calls?.calls, good.calls?.labelRetries], [2, 1]);
    // A student's reply is what it is (a format error for the episode): asked once.
    seeds.length = 0;
    await new MockActivityEnvironment().run(act, input(runDir, 'bad', endpoint(server), 'student'));
    assert.equal(seeds.length, 1);

    // D_i: the trajectory keeps both labels; the dataset trains on the valid one only.
    const turn = (label: RecordedPolicyOutput, t: number) => ({
      schema: TURN_SCHEMA, experimentId: 'x', iteration: 1, episodeId: 'e', taskId: 't', turn: t, executor: 'teacher' as const,
      mixing: { kind: 'dagger' as const, beta: 1 }, label, student: null, executed: label.action, observation: { text: '', error: false }, fullObservationRef: null,
    });
    const trajectory = {
      schema: TRAJECTORY_SCHEMA, experimentId: 'x', iteration: 1, episodeId: 'e', taskId: 't', prompt: [], tools: TOOLS,
      turns: [turn(good, 0), turn(bad, 1)], endReason: 'max_turns', reward: 0, verification: null,
    } as unknown as TrajectoryRecord;
    await store.putJson(store.trajectoryKey('e'), trajectory);
    const result = await createDatasetActivities({ taskIds: () => [] }).aggregate({ runDir, iteration: 1, episodeIds: ['e'], rejectionSampling: false });
    assert.deepEqual([result.transitions, result.teacherErrors], [1, 1]);
    const [line] = readFileSync(store.scratchPath(store.datasetKey(1)), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrajectoryRecord);
    assert.deepEqual(line!.turns.map((t) => t.label === null), [false, true]);
    assert.equal(episodeCallStats(trajectory).teacherErrors, 1);
  } finally {
    await server.close();
  }
});

test('a worker killed during a slow teacher call: the request paid twice is counted; a recorded answer is reused', { timeout: 120_000 }, async () => {
  const policy: Policy = async () => {
    await new Promise((r) => setTimeout(r, 1500));
    return { content: '', toolCalls: [CALL] };
  };
  const server = await startPolicyServer({ policy, name: 'teacher' });
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'act-'));
  const attemptInChild = (attempt: number, actInput: ActInput) =>
    spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'act-once.ts'), String(attempt), JSON.stringify(actInput)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    // Attempt 1 dies while the teacher thinks; attempt 2 asks again and pays again.
    await episode(runDir, 'killed');
    const killed = input(runDir, 'killed', endpoint(server));
    const child = attemptInChild(1, killed);
    const calls = new RunStore(runDir).scratchPath(new RunStore(runDir).callsKey('killed', 0, 'teacher'));
    while (server.stats().requests === 0) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(path.join(calls, '1.0.request.json')), 'the intent is written before the request');
    child.kill('SIGKILL');
    await exited(child);
    await new MockActivityEnvironment({ attempt: 2 }).run(act, killed);
    const paid = await output(runDir, 'killed');
    assert.deepEqual([paid.calls?.calls, paid.calls?.answered, paid.calls?.paidDuplicates, paid.calls?.reused], [2, 1, 1, false]);
    assert.deepEqual(readdirSync(calls).sort(), ['1.0.request.json', '2.0.request.json', '2.0.response.json']);
    await new Promise((r) => setTimeout(r, 1600)); // the dead attempt's answer is generated all the same
    assert.equal(server.stats().completions, 2);

    // Attempt 1 got its answer and recorded it, then died before storing the output: attempt 2 pays nothing.
    await episode(runDir, 'answered');
    const answered = input(runDir, 'answered', endpoint(server));
    assert.equal(await exited(attemptInChild(1, answered)), 0);
    rmSync(new RunStore(runDir).scratchPath(new RunStore(runDir).policyKey('answered', 0, 'teacher')));
    const before = server.stats().requests;
    await new MockActivityEnvironment({ attempt: 2 }).run(act, answered);
    assert.equal(server.stats().requests, before, 'no second request');
    const reused = await output(runDir, 'answered');
    assert.deepEqual([reused.calls?.calls, reused.calls?.paidDuplicates, reused.calls?.reused], [1, 0, true]);
    assert.deepEqual(reused.action.toolCalls, [{ id: 'c1', name: 'execute_bash', arguments: { command: 'ls' } }]);

    // Per episode, for the iteration's stats.
    const stats = episodeCallStats({ tools: TOOLS, turns: [{ label: paid, student: null }, { label: reused, student: null }] as TrajectoryRecord['turns'] });
    assert.deepEqual([stats.calls, stats.teacherCalls, stats.paidDuplicates, stats.teacherErrors], [3, 3, 1, 0]);
  } finally {
    await server.close();
  }
});
