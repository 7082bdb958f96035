/**
 * An episode survives the loss of its Docker host. Two rollout hosts, each a separate worker process with its own
 * host id and working directory; the episodes start on host A; host A's worker is SIGKILLed mid-episode and its
 * episodes' containers removed. Temporal reports the lost host (schedule-to-start on its queue), each episode moves
 * to host B with the workspace of its last snapshotted turn, and the experiment's dataset equals a fault-free run's
 * with the same seed (oracle teacher at temperature 0, seeded noisy student), record by record. The histories
 * replay against the current workflow code. A workspace over the snapshot bound ends its episode as a named error.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { PlacementRecord, WorkspaceSnapshotRecord } from '../activities/environment';
import { DockerSandboxes } from '../env/sandbox/docker';
import type { EpisodeManifest } from '../store/run-store';
import { hostQueue } from '../workflows/task-queues';
import { spawnHost } from './support/hosts';
import { canonicalDataset, startStack, testConfig, workflowBundle, type Stack } from './support/stack';
import { waitFor } from './support/wait';

// A live host takes a task from its queue within milliseconds: 10 s before a host counts as lost leaves room on a loaded machine.
const config = testConfig({
  rollout: { episodesPerIteration: 3, maxTurns: 12, concurrency: 3, sandbox: { commandTimeoutS: 20, memoryMb: 512, hostLossTimeoutS: 10 } },
});
let reference: unknown[] = [];


function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

function episodes(runDir: string): string[] {
  const dir = path.join(runDir, 'episodes');
  return existsSync(dir) ? readdirSync(dir) : [];
}

before(async () => {
  await workflowBundle();
});

test('fault-free reference run (one host): every turn has its workspace snapshot', async () => {
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    reference = canonicalDataset(result.runDir, id);
    assert.equal(reference.length, 3);
    for (const e of episodes(result.runDir)) {
      const turns = readdirSync(path.join(result.runDir, 'episodes', e, 'turns')).filter((f) => /^\d+\.json$/.test(f)).length;
      assert.ok(turns > 0);
      for (let t = 0; t < turns; t++) {
        const snapshot = readJson<WorkspaceSnapshotRecord>(path.join(result.runDir, 'episodes', e, 'turns', `${t}.workspace.json`));
        assert.ok(snapshot, `${e} turn ${t} has no workspace snapshot`);
        assert.equal(snapshot.placement, 0);
        assert.ok(existsSync(path.join(result.runDir, snapshot.ref)), `${snapshot.ref} is stored`);
      }
      assert.equal(existsSync(path.join(result.runDir, 'episodes', e, 'placements')), false, 'nothing moved');
    }
  } finally {
    await stack.close();
  }
});

test('host A killed mid-episode, its containers removed: the episodes finish on host B with the same dataset', async () => {
  assert.ok(reference.length > 0, 'needs the reference run');
  const stack = await startStack(config, { roles: ['orchestrator', 'train'] });
  const hostA = spawnHost(stack.server.address, 'host-a', ['rollout']);
  let hostB: ReturnType<typeof spawnHost> | null = null;
  try {
    await hostA.ready;
    const id = await stack.start();
    const runDir = path.join(config.runRoot, id);
    const manifests = () => episodes(runDir).map((e) => readJson<EpisodeManifest>(path.join(runDir, 'episodes', e, 'episode.json'))).filter((m) => m !== null);
    // Host B only joins once every episode has its sandbox on A and some have executed turns.
    await waitFor('episodes in progress on host A', () => {
      const started = manifests();
      return started.length === 3 && started.filter((m) => existsSync(path.join(runDir, 'episodes', m.episodeId, 'turns', '1.json'))).length >= 2;
    }, 180_000);
    // Killed at once: episodes of a few turns would finish while another worker process starts (seconds).
    await hostA.kill();
    const onA = manifests().filter((m) => m.hostQueue === hostQueue('host-a'));
    assert.equal(onA.length, 3, 'every episode started on host A');
    const unfinished = onA.filter((m) => !existsSync(path.join(runDir, 'episodes', m.episodeId, 'verification.json')));
    const docker = new DockerSandboxes({ channels: false });
    for (const m of onA) await docker.destroy(m.handle);
    await docker.close();
    // Host B joins after the loss: the lost host's queued steps time out and the episodes move to it.
    hostB = spawnHost(stack.server.address, 'host-b', ['rollout']);
    await hostB.ready;

    const result = await stack.result(id);
    assert.deepEqual(canonicalDataset(result.runDir, id), reference, 'the dataset equals the fault-free run');
    assert.equal(result.results[0].episodes, 3);
    assert.ok(unfinished.length > 0, 'some episode was unfinished when its host died');
    let moved = 0;
    let restored = 0;
    for (const m of unfinished) {
      const placement = readJson<PlacementRecord>(path.join(runDir, 'episodes', m.episodeId, 'placements', '1.json'));
      if (!placement) continue;
      moved++;
      assert.equal(placement.hostQueue, hostQueue('host-b'));
      assert.equal(placement.lostHostQueue, hostQueue('host-a'));
      // −1: lost before its first turn's snapshot, so the new sandbox starts from the task's base commit.
      assert.ok(placement.restoredTurn >= -1);
      if (placement.restoredTurn >= 0) restored++;
      // Turns up to the restored one were taken on A; every later one was executed on B.
      const turns = readdirSync(path.join(runDir, 'episodes', m.episodeId, 'turns')).filter((f) => /^\d+\.json$/.test(f)).length;
      for (let t = 0; t < turns; t++) {
        const snapshot = readJson<WorkspaceSnapshotRecord>(path.join(runDir, 'episodes', m.episodeId, 'turns', `${t}.workspace.json`))!;
        assert.equal(snapshot.placement, t <= placement.restoredTurn ? 0 : 1, `turn ${t}'s workspace was taken by placement ${snapshot.placement}`);
      }
      assert.equal(existsSync(path.join(runDir, 'episodes', m.episodeId, 'placements', '2.json')), false, 'moved once');
      // Noticed the way Temporal reports a queue without a worker: a schedule-to-start timeout on host A's queue,
      // and the move recorded as a patch marker (old histories replay without it).
      const events = (await stack.client.workflow.getHandle(m.episodeId).fetchHistory()).events ?? [];
      const timedOut = events.filter((e) => e.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType === temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
      assert.ok(timedOut.length >= 1, `${m.episodeId}: no schedule-to-start timeout in its history`);
      assert.ok(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch'), `${m.episodeId}: no patch marker`);
      console.log(`# ${m.episodeId}: moved to host B after turn ${placement.restoredTurn}, ${turns} turns in all`);
    }
    assert.ok(moved > 0, `no episode moved (unfinished on A: ${unfinished.map((m) => m.episodeId).join(', ')})`);
    assert.ok(restored > 0, 'no moved episode got a snapshotted workspace');
    await replayAll(stack, id);
  } catch (err) {
    throw new Error(`${(err as Error).stack}\n--- host A:\n${hostA.log().slice(-3000)}\n--- host B:\n${hostB?.log().slice(-3000)}`);
  } finally {
    await hostA.kill();
    await hostB?.kill();
    await stack.close();
  }
});

test('a workspace over the snapshot bound ends its episode as an error that names the file or size and the setting', async () => {
  const small = testConfig({ rollout: { episodesPerIteration: 1, maxTurns: 12, concurrency: 1, sandbox: { commandTimeoutS: 20, memoryMb: 512, snapshotMaxBytes: 64 } } });
  const stack = await startStack(small);
  try {
    const id = await stack.start();
    // Its only episode ended as an error, so the iteration has nothing to train on and says so.
    await assert.rejects(stack.result(id), (err: Error) => /every episode failed/.test(String((err.cause as Error)?.cause && ((err.cause as Error).cause as Error).message)));
    const runDir = path.join(small.runRoot, id);
    const [episodeId] = episodes(runDir);
    const trajectory = readJson<{ endReason: string; turns: unknown[] }>(path.join(runDir, 'episodes', episodeId, 'trajectory.json'))!;
    assert.equal(trajectory.endReason, 'error');
    assert.ok(trajectory.turns.length >= 1, 'the turns before and of the refused snapshot are kept');
    const events = (await stack.client.workflow.getHandle(episodeId).fetchHistory()).events ?? [];
    const failures = events.map((e) => e.activityTaskFailedEventAttributes?.failure).filter((f) => f?.applicationFailureInfo?.type === 'WorkspaceTooLarge');
    assert.equal(failures.length, 1, 'refused once, not retried');
    assert.equal(failures[0]!.applicationFailureInfo!.nonRetryable, true);
    assert.match(failures[0]!.message!, /after turn \d+: the workspace of .* cannot be snapshotted: (.* is \d+ bytes|the snapshot is \d+ bytes), over the bound of 64 bytes \(rollout\.sandbox\.snapshotMaxBytes/);
  } finally {
    await stack.close();
  }
});

/** Every workflow run of the experiment replays against the current workflow code without non-determinism. */
async function replayAll(stack: Stack, experimentId: string): Promise<void> {
  const query = `DaggerExperiment = '${experimentId}' OR WorkflowId = '${experimentId}'`;
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, stack.client.workflow.list({ query }).intoHistories())) {
    assert.equal(result.error, undefined, `replay of ${result.workflowId} failed: ${result.error}`);
    replayed++;
  }
  assert.ok(replayed >= 5, `replayed ${replayed} histories`);
}
