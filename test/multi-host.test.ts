/**
 * One experiment across hosts that share nothing but Temporal and the object store: two rollout hosts and a train
 * host, each a separate worker process with its own host id, its own working directory and its own filesystem where
 * machines differ (a mount namespace with fresh /tmp and store scratch: test/support/hosts.ts). The run's records
 * live in a real S3-compatible server (weed); the orchestrator runs in the test process, which also serves the
 * bundled policies over HTTP. Rollout host A takes the episodes first and is SIGKILLed mid-episode with its
 * containers removed: the episodes move to host B through the snapshots in the bucket, the train host trains on
 * the dataset it downloads from the bucket and uploads its checkpoint there, and the dataset equals a fault-free
 * single-process run's with the same seed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlacementRecord, WorkspaceSnapshotRecord } from '../activities/environment';
import type { TrainStepResult } from '../core/records';
import { DockerSandboxes } from '../env/sandbox/docker';
import { RunStore, type EpisodeManifest } from '../store/run-store';
import { hostQueue } from '../workflows/task-queues';
import { spawnHost, type HostProcess } from './support/hosts';
import { startS3Server, type TestS3Server } from './support/s3';
import { canonicalDataset, startStack, testConfig, workflowBundle } from './support/stack';
import { waitFor } from './support/wait';

/**
 * A stand-in trainer (the `command` kind): it reads its train-step config, hashes the last dataset it was given into
 * its "model" and names the directory it ran in, so the test can tell what it read and where it ran.
 */
const TRAINER = [
  'set -e',
  `out=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["output_dir"])' "$1")`,
  `ds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["datasets"][-1])' "$1")`,
  'mkdir -p "$out/model"',
  'sha256sum "$ds" | cut -d" " -f1 > "$out/model/dataset.sha256"',
  'printf %s "$TMPDIR" > "$out/model/trained-in"',
  // A file the test process wrote into its own /tmp: the train host must not see it.
  'if [ -e "$TEST_SENTINEL" ]; then echo visible; else echo hidden; fi > "$out/model/test-files"',
  'echo "{\\"event\\": \\"done\\", \\"model_dir\\": \\"$out/model\\", \\"steps\\": 1, \\"final_loss\\": 0.5}"',
].join('\n');

// A live host takes a task from its queue within milliseconds: 10 s before a host counts as lost leaves room on a loaded machine.
const base = {
  rollout: { episodesPerIteration: 3, maxTurns: 12, concurrency: 3, sandbox: { commandTimeoutS: 20, memoryMb: 512, hostLossTimeoutS: 10 } },
  trainer: { kind: 'command', command: ['bash', '-c', TRAINER, 'trainer', '{config}'], model: 'none' },
};

let s3: TestS3Server;
let reference: unknown[] = [];


before(async () => {
  await workflowBundle();
});
after(async () => {
  await s3?.stop();
});

test('fault-free reference run (one process, local store)', async () => {
  const stack = await startStack(testConfig(base));
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    reference = canonicalDataset(result.runDir, id);
    assert.equal(reference.length, 3);
  } finally {
    await stack.close();
  }
});

test('two rollout hosts and a train host, sharing only Temporal and S3: host A lost mid-episode, same dataset', { timeout: 900_000 }, async () => {
  assert.ok(reference.length > 0, 'needs the reference run');
  s3 = await startS3Server();
  await s3.createBucket('runs');
  const config = testConfig({ ...base, store: s3.storeConfig('runs', 'multi-host') });
  const stack = await startStack(config, { roles: ['orchestrator'] });
  const hosts: HostProcess[] = [];
  const sentinel = path.join(mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-sentinel-')), 'only-the-test-sees-this');
  writeFileSync(sentinel, 'x');
  const host = (id: string, roles: ('rollout' | 'train')[]) => {
    const h = spawnHost(stack.server.address, id, roles, { privateFiles: true, env: { TEST_SENTINEL: sentinel } });
    hosts.push(h);
    return h;
  };
  try {
    const hostA = host('host-a', ['rollout']);
    await hostA.ready;
    const id = await stack.start();
    const runDir = s3.runDir('runs', id, 'multi-host');
    const store = new RunStore(runDir);
    const manifests = async () => (await Promise.all((await store.listEpisodes()).map((e) => store.readManifestIfExists(e)))).filter((m): m is EpisodeManifest => m !== null);
    await waitFor('episodes in progress on host A', async () => {
      const started = await manifests();
      const progressed = await Promise.all(started.map((m) => store.readTurn(m.episodeId, 1)));
      return started.length === 3 && progressed.filter(Boolean).length >= 2;
    }, 240_000, 250);
    // Killed at once: episodes of a few turns would finish while other worker processes start (seconds).
    await hostA.kill();
    const onA = await manifests();
    assert.deepEqual(new Set(onA.map((m) => m.hostQueue)), new Set([hostQueue('host-a')]));
    const docker = new DockerSandboxes({ channels: false });
    for (const m of onA) await docker.destroy(m.handle);
    await docker.close();
    // The other hosts join after the loss: the lost host's queued steps time out and the episodes move to host B.
    const hostB = host('host-b', ['rollout']);
    const trainHost = host('train-host', ['train']);
    await Promise.all([hostB.ready, trainHost.ready]);

    const result = await stack.result(id);
    assert.equal(result.runDir, runDir);
    // The dataset, read from the bucket, equals the single-process run's.
    const local = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-dataset-'));
    const dataset = (await store.getText(store.datasetKey(1)))!;
    mkdirSync(path.join(local, 'datasets'));
    writeFileSync(path.join(local, 'datasets', 'iter-1.jsonl'), dataset);
    assert.deepEqual(canonicalDataset(local, id), reference, 'the dataset equals the fault-free run');

    // Unfinished episodes moved to host B, their workspaces restored from the bucket.
    let moved = 0;
    let restored = 0;
    for (const m of onA) {
      const placement = await store.getJson<PlacementRecord>(`episodes/${m.episodeId}/placements/1.json`);
      if (!placement) continue;
      moved++;
      assert.equal(placement.hostQueue, hostQueue('host-b'));
      // −1: lost before its first turn's snapshot, so the new sandbox starts from the task's base commit.
      if (placement.restoredTurn < 0) continue;
      restored++;
      const snapshot = await store.getJson<WorkspaceSnapshotRecord>(`episodes/${m.episodeId}/turns/${placement.restoredTurn}.workspace.json`);
      assert.ok(snapshot && (await store.blobs.get(snapshot.ref)), 'the restored snapshot is in the bucket');
      console.log(`# ${m.episodeId}: moved to host B after turn ${placement.restoredTurn}`);
    }
    assert.ok(moved > 0, 'some episode moved to host B');
    assert.ok(restored > 0, 'some moved episode got a snapshotted workspace from the bucket');

    // The train host trained on the dataset it downloaded from the bucket, in its own directory, and uploaded the model.
    const checkpoint = await store.getJson<TrainStepResult>('checkpoints/iter-1/checkpoint.json');
    assert.ok(checkpoint, 'the train step claimed its checkpoint in the bucket');
    assert.match(checkpoint.modelDir, /^s3:\/\//);
    const runPath = new URL(runDir).pathname.replace(/\/+$/, '');
    const modelPath = new URL(checkpoint.modelDir).pathname;
    assert.ok(modelPath.startsWith(`${runPath}/checkpoints/iter-1/`), `${checkpoint.modelDir} is under the run`);
    const modelKey = decodeURIComponent(modelPath.slice(runPath.length + 1));
    assert.equal((await store.getText(`${modelKey}/dataset.sha256`))!.trim(), createHash('sha256').update(dataset).digest('hex'));
    assert.equal(await store.getText(`${modelKey}/trained-in`), trainHost.dir);
    assert.equal((await store.getText(`${modelKey}/test-files`))!.trim(), 'hidden', "the train host saw the test's /tmp");
    assert.equal(result.results[0].trainLoss, 0.5);
  } catch (err) {
    throw new Error(`${(err as Error).stack}\n${hosts.map((h) => `--- ${h.hostId}:\n${h.log().slice(-3000)}`).join('\n')}`);
  } finally {
    for (const h of hosts) await h.kill();
    await stack.close();
  }
});
