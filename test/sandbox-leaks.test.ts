/**
 * Nothing leaks: every container the project creates carries its creator (and an episode's sandbox its
 * episode), and the sweep removes what a killed worker left behind, while a running episode's sandbox
 * stays for the worker that continues it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import Dockerode from 'dockerode';
import { DockerSandboxes } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { CREATOR_LABEL, creatorId, EPISODE_LABEL, sweepReason } from '../env/sandbox/sweep';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { temporalEpisodeState } from '../workers/container-sweep';
import { startTestServer } from './support/temporal';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const task = loadSuite(SUITE).instances[0]!;
const LABEL = `leaks-${process.pid}`;
const docker = new Dockerode();
const sandboxes = new DockerSandboxes();

before(() => {
  ensureSandboxImage();
});
after(async () => {
  for (const c of await docker.listContainers({ all: true, filters: { label: [`agent-dagger.test=${LABEL}`] } })) await sandboxes.destroy(c.Id);
  await sandboxes.close();
});

/** Containers (running or not) whose creator is `creator`. */
async function createdBy(creator: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${CREATOR_LABEL}=${creator}`] } });
}

test('sweep decisions: finished episodes go, running ones stay, a dead creator’s leftovers go after the grace period', () => {
  const c = { id: 'x', labels: { [CREATOR_LABEL]: 'h/1/2', [EPISODE_LABEL]: 'e1' }, createdS: 1000 };
  const facts = { nowS: 1100, graceS: 60 };
  assert.match(sweepReason(c, { ...facts, alive: true, episode: 'closed' })!, /episode e1 is finished/);
  assert.equal(sweepReason(c, { ...facts, alive: false, episode: 'running' }), null);
  assert.match(sweepReason(c, { ...facts, alive: false, episode: undefined })!, /creator h\/1\/2 is gone/);
  assert.equal(sweepReason(c, { ...facts, nowS: 1030, alive: false, episode: undefined }), null, 'within the grace period');
  assert.equal(sweepReason(c, { ...facts, alive: undefined, episode: undefined }), null, 'a creator on another machine');
  const probe = { id: 'p', labels: { [CREATOR_LABEL]: 'h/1/2' }, createdS: 1000 };
  assert.equal(sweepReason(probe, { ...facts, alive: true, episode: undefined }), null);
  assert.match(sweepReason(probe, { ...facts, alive: false, episode: undefined })!, /gone/);
});

test('every container an episode start creates (sandbox and image probe) is labelled with its creator and episode', async () => {
  const created: Dockerode.ContainerCreateOptions[] = [];
  const spy = new Dockerode();
  const real = spy.createContainer.bind(spy);
  spy.createContainer = ((opts: Dockerode.ContainerCreateOptions) => {
    created.push(opts);
    return real(opts);
  }) as typeof spy.createContainer;
  const own = new DockerSandboxes({ docker: spy });
  const env = new SweEnvironment(own, SUITE, { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 30, lifetimeS: 300, workspaceMb: 64 }, { labels: { 'agent-dagger.test': LABEL } });
  const handle = await env.start(task, `leaks-${process.pid}-labels`);
  try {
    assert.ok(created.length >= 2, `expected a probe and a sandbox, saw ${created.length} creations`);
    for (const opts of created) assert.equal(opts.Labels?.[CREATOR_LABEL], creatorId());
    assert.ok(created.some((o) => o.Labels?.['agent-dagger.probe'] === '1'), 'the image probe');
    assert.equal((await docker.getContainer(handle).inspect()).Config.Labels[EPISODE_LABEL], `leaks-${process.pid}-labels`);
  } finally {
    await env.destroy(handle);
    await own.close();
  }
});

test('a worker killed mid-episode leaves nothing after the sweep; a running episode keeps its sandbox', async () => {
  const episode = `leaks-${process.pid}-killed`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'leaky-worker.ts'), episode, LABEL], { stdio: ['ignore', 'pipe', 'inherit'] });
  const handle = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\w+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready: ${out}`)));
  });
  const creator = (await docker.getContainer(handle).inspect()).Config.Labels[CREATOR_LABEL]!;
  assert.match(creator, new RegExp(`/${child.pid}/`));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const left = await createdBy(creator);
  assert.ok(left.length >= 2, `the killed worker left its sandbox and its pool stock: ${left.length}`);

  // Mine, alive: never swept. The killed worker's running episode: kept while Temporal says it runs.
  const mine = await sandboxes.create({ image: task.image, workdir: '/workspace', labels: { 'agent-dagger.test': LABEL }, limits: { memoryMb: 256, cpus: 1, pids: 64, commandTimeoutS: 10, lifetimeS: 300 } });
  // (Sweeps narrowed to this test's containers: other tests on this Docker may be mid-way through their own kills.)
  assert.deepEqual(await sandboxes.sweep({ graceS: 0, labels: { [CREATOR_LABEL]: creatorId() } }), [], 'a live creator’s sandbox was swept');
  const running = await sandboxes.sweep({ graceS: 0, labels: { [CREATOR_LABEL]: creator }, episodeState: async (e) => (e === episode ? 'running' : undefined) });
  assert.ok(running.every((r) => r.id !== handle), 'the running episode’s sandbox was swept');
  assert.ok((await createdBy(creator)).some((c) => c.Id === handle));

  const swept = await sandboxes.sweep({ graceS: 0, labels: { [CREATOR_LABEL]: creator }, episodeState: async () => undefined });
  assert.ok(swept.some((r) => r.id === handle && /creator .* is gone/.test(r.reason)), JSON.stringify(swept));
  assert.deepEqual(await createdBy(creator), [], 'containers of the killed worker remain after the sweep');
  assert.ok((await docker.getContainer(mine).inspect()).State.Running, 'a live creator’s sandbox was removed');
});

test('the workers ask Temporal: a closed episode workflow’s sandbox goes even while its creator lives', async () => {
  const server = await startTestServer();
  const connection = await NativeConnection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const episodeState = temporalEpisodeState(connection, 'default');
    const closed = `leaks-${process.pid}-closed`;
    const running = `leaks-${process.pid}-running`;
    // Started on a queue no worker polls: running until terminated.
    for (const id of [closed, running]) await client.workflow.start('episodeWorkflow', { taskQueue: `nobody-${process.pid}`, workflowId: id, args: [] });
    await client.workflow.getHandle(closed).terminate('episode over');
    const now = Date.now() / 1000 + 5;
    assert.deepEqual([await episodeState(closed, now), await episodeState(running, now), await episodeState('never-started', now)], ['closed', 'running', undefined]);
    assert.equal(await episodeState(closed, now - 3600), undefined, 'a workflow started after the container is another server’s episode');
    const limits = { memoryMb: 256, cpus: 1, pids: 64, commandTimeoutS: 10, lifetimeS: 300 };
    const [a, b] = await Promise.all(
      [closed, running].map((e) => sandboxes.create({ image: task.image, workdir: '/workspace', labels: { 'agent-dagger.test': LABEL, [EPISODE_LABEL]: e }, limits })),
    );
    const swept = await sandboxes.sweep({ labels: { 'agent-dagger.test': LABEL }, episodeState });
    assert.deepEqual(swept.map((r) => [r.id, r.reason]), [[a, `its episode ${closed} is finished`]]);
    assert.ok((await docker.getContainer(b!).inspect()).State.Running);
  } finally {
    await connection.close();
    await server.stop();
  }
});
