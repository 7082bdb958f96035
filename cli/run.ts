/**
 * The main job and the long-running commands: embedded server, bundled policies, workers, experiment.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadTaskSet } from '../env/swe/instances';
import { TASK_QUEUES } from '../workflows/task-queues';
import type { ExperimentConfig } from '../config/schema';
import { createProvider } from '../workers/wiring';
import { quietSdkLogs, startWorkers, type WorkerRole } from '../workers/workers';
import type { ResolvedConfig } from '../workflows/iteration';
import { startBundledPolicies, type BundledPolicies } from './bundled-policies';
import { connectWorkerConnection, securityFromConfig, securityFromEnv } from './connection';
import { acquireSharedServer, alive } from './embedded-server';
import { connectClient, errorChain, experimentStatus, newExperimentId, startExperiment, waitForExperiment } from './experiments';
import { formatResults, progressLine } from './progress';
import { describeRunLocation } from '../store/location';

/** What the long-running commands start: the server (when embedded), the bundled policies, workers and a client. */
export interface Infrastructure {
  policies: BundledPolicies;
  client: Client;
  workers: Awaited<ReturnType<typeof startWorkers>>;
  /** Stops everything that was started, in reverse order. */
  cleanup(): Promise<void>;
}

/**
 * Start everything `config` needs to run experiments; prints where the server, UI and policies are. The embedded
 * server is the run root's shared one (other runs of the checkout may use it too); `ports` serve the bundled
 * policies where a resumed experiment calls them.
 */
export async function startInfrastructure(config: ExperimentConfig, ports?: Partial<Record<'teacher' | 'student', number>>): Promise<Infrastructure> {
  quietSdkLogs();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(`cleanup: ${(err as Error).message}`));
  };
  try {
    let address = config.temporal.address;
    if (address === 'embedded') {
      const dbFile = path.join(config.runRoot, 'temporal.db');
      const server = await acquireSharedServer(dbFile, { onWait: (pid) => console.log(`waiting for another run of this checkout (pid ${pid}) to start or stop the Temporal server…`) });
      cleanups.push(() => server.release());
      address = server.address;
      const whose = server.started ? 'started here' : 'shared with the other runs of this checkout that use it';
      console.log(`Temporal server: ${address} (${whose}; SQLite ${dbFile}); Web UI: ${server.uiUrl}`);
    }
    const policies = await startBundledPolicies(config, { ports });
    cleanups.push(() => policies.close());
    describePolicies(policies);
    console.log(
      config.trainer.kind === 'none'
        ? 'training: OFF (trainer.kind = none): this run collects DAgger data but the student does not learn.'
        : `training: ${config.trainer.kind} trainer from ${config.trainer.model}, after every iteration; deploy: ${config.deploy.kind}`,
    );
    // The embedded server is plain local gRPC; a cluster gets the config's TLS and API key.
    const security = config.temporal.address === 'embedded' ? {} : securityFromConfig(config.temporal);
    const connection = await connectWorkerConnection(address, security);
    cleanups.push(() => connection.close());
    // As many ready sandboxes as episodes run at once: starting an episode then waits for no container.
    const provider = createProvider({ warmPool: config.rollout.concurrency });
    cleanups.push(() => provider.close());
    const workers = await startWorkers({
      connection,
      namespace: config.temporal.namespace,
      roles: ['orchestrator', 'rollout', 'train'],
      provider,
    });
    cleanups.push(() => workers.shutdown());
    const client = await connectClient(address, config.temporal.namespace, security);
    cleanups.push(() => client.connection.close());
    return { policies, client, workers, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Run `body` with the infrastructure up; Ctrl-C stops it cleanly and prints how to continue. */
export async function withInfrastructure(
  config: ExperimentConfig,
  resumeHint: () => string,
  body: (infra: Infrastructure) => Promise<void>,
  ports?: Partial<Record<'teacher' | 'student', number>>,
): Promise<void> {
  let infra: Infrastructure | null = null;
  const onSignal = () => {
    console.log(`\ninterrupted: stopping workers and the server; nothing is lost. Continue with: ${resumeHint()}`);
    void (infra?.cleanup() ?? Promise.resolve()).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    infra = await startInfrastructure(config, ports);
    await body(infra);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await infra?.cleanup();
  }
}

/** Start everything the config needs, run (or attach to) one experiment to its end, and print where its results are. */
export async function runMainJob(config: ExperimentConfig, options: { resume?: string; id?: string } = {}): Promise<void> {
  let experimentId = options.resume ?? '<experimentId>';
  // A taken id is refused before anything starts (the server checks again before config.json is written).
  if (options.id && !options.resume && existsSync(path.join(config.runRoot, options.id, 'config.json'))) {
    throw new Error(`experiment ${options.id} exists already (${path.join(config.runRoot, options.id)}): choose another --id, or continue it with --resume ${options.id}`);
  }
  const ports = options.resume ? recordedPorts(config.runRoot, options.resume) : undefined;
  await withInfrastructure(config, () => `bin/agent-dagger run <config> --resume ${experimentId}`, async ({ policies, client, workers }) => {
    experimentId = options.resume ?? options.id ?? newExperimentId(config.name);
    if (!options.resume) await startExperiment(client, policies.resolved, experimentId);
    console.log(`experiment ${experimentId}: ${options.resume ? 'resumed' : 'started'} (${config.iterations} iterations, ${config.rollout.episodesPerIteration} episodes each)`);

    const watcher = watchProgress(client, experimentId);
    const result = await Promise.race([waitForExperiment(client, experimentId), workers.done.then(() => Promise.reject(new Error('the workers stopped unexpectedly')))]);
    watcher.stop();
    console.log(`\nexperiment ${experimentId} finished${result.stoppedEarly ? ' (stopped early)' : ''}:`);
    console.log(formatResults(result.results));
    // In an S3 store the same keys are objects under the run's prefix (docs/formats.md).
    const where = (key: string) => (result.runDir.startsWith('s3://') ? `${describeRunLocation(result.runDir)}: ${key}` : path.join(result.runDir, key));
    console.log(`\nresults: ${result.runDir.startsWith('s3://') ? describeRunLocation(result.runDir) : result.runDir}`);
    console.log(`  summary:   ${result.summary}`);
    console.log(`  report:    ${where('report/index.html')}`);
    console.log(`  datasets:  ${where('datasets')}`);
    console.log(`  episodes:  ${where('episodes')}`);
    console.log(`  metrics:   ${where('metrics')}`);
  }, ports);
}

/** Where a started experiment's workflow calls its served policies: the ports in its recorded config.json. */
export function recordedPorts(runRoot: string, experimentId: string): Partial<Record<'teacher' | 'student', number>> {
  const file = path.join(runRoot, experimentId, 'config.json');
  if (!existsSync(file)) return {};
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as ResolvedConfig;
  const ports: Partial<Record<'teacher' | 'student', number>> = {};
  for (const role of ['teacher', 'student'] as const) {
    const url = new URL(recorded[role].baseUrl);
    if (url.hostname === '127.0.0.1' && url.port) ports[role] = Number(url.port);
  }
  return ports;
}

/**
 * `agent-dagger start`: the config's bundled policies must already be served (by `run`) or be endpoints. What can be
 * checked from here is checked first (`verify`), so a missing file or a dead endpoint fails now, not minutes later.
 */
export async function startFromConfig(config: ExperimentConfig, opts: { address: string; namespace: string; id?: string; verify?: boolean }): Promise<string> {
  if (config.student.kind !== 'endpoint' || config.teacher.kind !== 'endpoint') {
    throw new Error('`start` needs endpoint policies (bundled ones are served by `agent-dagger run`); set student/teacher kind: endpoint');
  }
  const resolved = config as ResolvedConfig;
  const client = await connectClient(opts.address, opts.namespace);
  try {
    if (opts.verify !== false) for (const line of await checkBeforeStart(client, resolved)) console.error(line);
    const id = opts.id ?? newExperimentId(config.name);
    await startExperiment(client, resolved, id);
    return id;
  } finally {
    await client.connection.close();
  }
}

/** temporal.api.enums.v1.TaskQueueType (the proto package is not a direct dependency). */
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/**
 * What `start` can verify before starting: the task files load here (workers on other machines need the same
 * paths), both endpoints answer HTTP, and a worker polls the orchestrate queue. Problems throw, all named at once;
 * returns one line per check passed (a missing worker is only a warning: one may be started later).
 */
export async function checkBeforeStart(client: Client, config: ResolvedConfig): Promise<string[]> {
  const passed: string[] = [];
  const problems: string[] = [];
  const load = (what: string, file: string) => {
    try {
      passed.push(`checked: ${what} ${file} (${loadTaskSet(file).instances.length} tasks)`);
    } catch (err) {
      problems.push(`${what} ${file}: ${(err as Error).message}`);
    }
  };
  load('tasks.suite', config.tasks.suite);
  if (config.evaluation.suite) load('evaluation.suite', config.evaluation.suite);
  const files = [
    ...[config.tasks.train, config.tasks.heldout, config.evaluation.split].flatMap((s) => (s && s !== 'all' && 'file' in s ? [s.file] : [])),
    ...(config.trainer.kind === 'none' ? [] : config.trainer.demonstrations),
  ];
  for (const file of files) (existsSync(file) ? passed : problems).push(existsSync(file) ? `checked: ${file}` : `${file} does not exist`);
  for (const role of ['teacher', 'student'] as const) {
    const url = `${config[role].baseUrl.replace(/\/$/, '')}/models`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      passed.push(`checked: the ${role} endpoint answers (GET ${url}: HTTP ${response.status})`);
    } catch (err) {
      problems.push(`the ${role} endpoint does not answer (GET ${url}: ${errorChain(err)})`);
    }
  }
  if (problems.length) {
    throw new Error(`not started; ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n(fix them, or skip these checks with --no-verify)`);
  }
  const pollers = await client.workflowService
    .describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: TASK_QUEUES.orchestrate }, taskQueueType: TASK_QUEUE_TYPE_WORKFLOW })
    .then((r) => r.pollers?.length ?? 0);
  passed.push(
    pollers
      ? `checked: ${pollers} worker(s) poll the ${TASK_QUEUES.orchestrate} queue`
      : `warning: no worker polls the ${TASK_QUEUES.orchestrate} queue yet; the experiment waits until one does (\`agent-dagger worker\`)`,
  );
  return passed;
}

export async function runWorkerProcess(opts: { role: WorkerRole[]; address: string; namespace: string; hostId?: string }): Promise<void> {
  quietSdkLogs();
  const connection = await connectWorkerConnection(opts.address, securityFromEnv());
  const provider = opts.role.includes('rollout') ? createProvider() : undefined;
  const workers = await startWorkers({ connection, namespace: opts.namespace, roles: opts.role, hostId: opts.hostId, provider });
  console.log(`workers running (${opts.role.join(', ')}) against ${opts.address}; Ctrl-C stops them`);
  const stop = () => void workers.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await workers.done;
  await provider?.close();
  await connection.close();
}

/**
 * `agent-dagger server`: the checkout's shared server (started, or the one a run already has up) until Ctrl-C;
 * if the server dies first, that is an error (non-zero exit) naming its log.
 */
export async function serveEmbedded(opts: { dbFile: string; port: number; uiPort: number }): Promise<void> {
  const server = await acquireSharedServer(opts.dbFile, { port: opts.port, uiPort: opts.uiPort });
  const whose = server.started ? '' : ' (already up for a run of this checkout; shared)';
  console.log(`Temporal server: ${server.address}${whose}; Web UI: ${server.uiUrl}; SQLite: ${opts.dbFile}. Ctrl-C stops it.`);
  let timer: NodeJS.Timeout | undefined;
  const died = await new Promise<boolean>((resolve) => {
    process.once('SIGINT', () => resolve(false));
    process.once('SIGTERM', () => resolve(false));
    timer = setInterval(() => alive(server.pid) || resolve(true), 1000);
  });
  clearInterval(timer);
  await server.release();
  if (died) throw new Error(`the Temporal server (pid ${server.pid}) stopped by itself; see ${opts.dbFile}.log`);
}

function describePolicies(policies: BundledPolicies): void {
  for (const role of ['teacher', 'student'] as const) {
    const p = policies.resolved[role];
    console.log(`${role}: ${p.model} at ${p.baseUrl}${policies.bundled.includes(role) ? ' (served here)' : ''}`);
  }
}

export function watchProgress(client: Awaited<ReturnType<typeof connectClient>>, experimentId: string) {
  let last = '';
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      try {
        const status = await experimentStatus(client, experimentId);
        const { experiment: e, iteration: it } = status;
        // Printed when something counted changes (the time-left estimate alone does not make a new line).
        const key = [e.iteration, e.state, it?.phase, it?.episodesDone, it?.resolved, it?.paused].join('|');
        if (key !== last && !stopped) console.log(progressLine(status));
        last = key;
      } catch {
        // between runs of a continue-as-new chain the query can miss; the next tick answers
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void tick();
  return { stop: () => (stopped = true) };
}
