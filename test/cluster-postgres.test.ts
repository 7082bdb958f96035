/**
 * The real workflows against Temporal's own server on PostgreSQL (scripts/temporal-cluster.sh), not the dev
 * server: the databases migrated by Temporal's schema tool, a namespace set up as an operator would (created
 * with `temporal operator namespace create`, search attributes added by `agent-dagger register-search-attributes`),
 * a small experiment that finishes and is found by its DaggerExperiment attribute, and the workers SIGKILLed
 * mid-episode and the server restarted meanwhile, with the same dataset as a result. scripts/test.sh runs it after
 * the main tests; the first run builds the server (minutes), later runs reuse the cached build.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import { startBundledPolicies, type BundledPolicies } from '../cli/bundled-policies';
import { connectClient, newExperimentId, startExperiment, waitForExperiment } from '../cli/experiments';
import { createProvider } from '../workers/wiring';
import { quietSdkLogs, startWorkers, type WorkerRole } from '../workers/workers';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { registerSearchAttributes } from '../cli/search-attributes';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { spawnClusterWorker, startPostgresCluster, type PostgresCluster } from './support/postgres-cluster';
import { canonicalDataset, HOST_ID, testConfig, workflowBundle } from './support/stack';
import { waitFor } from './support/wait';

const config = testConfig();
let cluster: PostgresCluster;
let policies: BundledPolicies;
let client: Client;
let reference: unknown[] = [];

before(async () => {
  quietSdkLogs();
  const started = Date.now();
  cluster = await startPostgresCluster();
  console.log(`# Temporal on PostgreSQL up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${cluster.address}`);
  [policies, client] = await Promise.all([startBundledPolicies(config, { anyPort: true }), connectClient(cluster.address, cluster.namespace, {}), workflowBundle()]);
});

after(async () => {
  await client?.connection.close();
  await policies?.close();
  await cluster?.stop();
});

/** Workers of the given roles in this process, against the cluster's namespace. */
async function inProcessWorkers(roles: WorkerRole[]) {
  const connection = await NativeConnection.connect({ address: cluster.address });
  const provider = createProvider();
  const workers = await startWorkers({ connection, namespace: cluster.namespace, roles, hostId: HOST_ID, provider, workflowBundle: await workflowBundle() });
  return async () => {
    await workers.shutdown();
    await provider.close();
    await connection.close();
  };
}

async function start(): Promise<string> {
  const id = `${newExperimentId(config.name)}-${Math.random().toString(36).slice(2, 6)}`;
  await startExperiment(client, policies.resolved, id);
  return id;
}

const ids = async (query: string) => {
  const found: string[] = [];
  for await (const wf of client.workflow.list({ query })) found.push(wf.workflowId);
  return found.sort();
};

/** Visibility is eventually consistent on any server: poll until `check` passes or time runs out. */
async function eventually<T>(what: string, get: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test("PostgreSQL holds Temporal's databases at the schema versions of the server's own files; the namespace has the search attributes", async () => {
  // update-schema migrates to the newest versioned folder of each schema.
  for (const [database, kind] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    const [[version]] = await cluster.sql(database, 'SELECT curr_version FROM schema_version');
    assert.equal(version, newestSchema(kind), `${database}'s schema version`);
  }
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace: cluster.namespace });
  for (const { name, type } of Object.values(SEARCH_ATTRIBUTES)) {
    assert.equal(customAttributes?.[name], encodeSearchAttributeIndexedValueType(type), `${name} is registered on ${cluster.namespace} as ${type}`);
  }
  // Registering again adds nothing (the script registered them).
  assert.deepEqual((await registerSearchAttributes(client)).added, []);
});

test('on a new namespace, a workflow start naming the attributes works as soon as the registration returns', async () => {
  // SQL visibility keeps each attribute as a namespace alias that frontends see at their next namespace-cache
  // refresh; a start right after adding them used to fail ("has no mapping defined for search attribute").
  const namespace = `fresh-${Math.random().toString(36).slice(2, 8)}`;
  await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const fresh = new Client({ connection: client.connection, namespace });
  await eventually('the new namespace', () => fresh.workflowService.describeNamespace({ namespace }).then(() => true, () => false), (ok) => ok);
  const { added } = await registerSearchAttributes(fresh);
  assert.equal(added.length, Object.keys(SEARCH_ATTRIBUTES).length);
  const handle = await fresh.workflow.start('nothingPollsThis', {
    taskQueue: 'nobody',
    workflowId: 'w1',
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.experiment, value: 'e1' },
      { key: SEARCH_ATTRIBUTES.beta, value: 0.25 },
    ],
  });
  assert.equal((await handle.describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.beta), 0.25);
  await handle.terminate();
});

/** The newest version folder (e.g. v1.17) of one of the build's PostgreSQL schemas, without its 'v'. */
function newestSchema(kind: 'temporal' | 'visibility'): string {
  const versions = readdirSync(path.join(cluster.build, 'schema', 'postgresql', 'v12', kind, 'versioned')).map((v) => v.replace(/^v/, ''));
  const key = (v: string) => v.split('.').map(Number);
  return versions.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]).at(-1)!;
}

test('a small experiment runs to the end on the cluster, and is found by its search attributes', async () => {
  const stop = await inProcessWorkers(['orchestrator', 'rollout', 'train']);
  try {
    const id = await start();
    const result = await waitForExperiment(client, id);
    const [iteration] = result.results;
    assert.equal(iteration.episodes, 3);
    assert.ok(iteration.transitions > 3, `expected several labelled states, got ${iteration.transitions}`);
    reference = canonicalDataset(result.runDir, id);
    assert.equal(reference.length, 3);

    // The experiment, its iteration and its episodes all carry DaggerExperiment (the children inherit nothing:
    // each is started with it), so one query finds the whole tree.
    const tree = await eventually(`workflows with DaggerExperiment = "${id}"`, () => ids(`DaggerExperiment = "${id}"`), (found) => found.length >= 2);
    assert.ok(tree.includes(id), `the experiment is among ${tree.join(', ')}`);
    assert.ok(tree.some((w) => w !== id && w.startsWith(id)), `its iteration is among ${tree.join(', ')}`);
    const [top] = await eventually('the finished experiment by its attributes', () => ids(`DaggerExperiment = "${id}" AND DaggerIteration = 1 AND DaggerAlgorithm = "dagger" AND DaggerBeta = 0.5 AND ExecutionStatus = "Completed"`), (f) => f.length === 1);
    assert.equal(top, id);
    const description = await client.workflow.getHandle(id).describe();
    assert.equal(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.success), iteration.successRate);

    // The server keeps it in PostgreSQL: the visibility row and the history are there.
    const [[rows]] = await cluster.sql('temporal_visibility', `SELECT count(*) FROM executions_visibility WHERE workflow_id = '${id}'`);
    assert.ok(Number(rows) >= 1, `visibility rows for ${id}: ${rows}`);
  } finally {
    await stop();
  }
});

test('the workers SIGKILLed mid-episode and the server restarted: the experiment finishes with the same dataset', async () => {
  assert.ok(reference.length, 'needs the reference run of the test above');
  const stopTrain = await inProcessWorkers(['train']);
  let worker = spawnClusterWorker(cluster, ['orchestrator', 'rollout'], HOST_ID);
  try {
    const id = await start();
    const runDir = path.join(config.runRoot, id);
    await waitFor('episodes in progress', () => episodesWith(runDir, (t) => existsSync(path.join(t, '1.json'))) >= 2);
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    // While no worker runs, the server goes down and comes back: what it knew it reads back from PostgreSQL.
    await cluster.restartServer();
    // The new process has no cached workflow state: it replays each history from the server.
    worker = spawnClusterWorker(cluster, ['orchestrator', 'rollout'], HOST_ID);
    const result = await waitForExperiment(client, id);
    assert.deepEqual(canonicalDataset(result.runDir, id), reference);
  } finally {
    worker.kill('SIGKILL');
    await stopTrain();
  }
});


function episodesWith(runDir: string, file: (turnsDir: string) => boolean): number {
  const dir = path.join(runDir, 'episodes');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((e) => existsSync(path.join(dir, e, 'turns')) && file(path.join(dir, e, 'turns'))).length;
}
