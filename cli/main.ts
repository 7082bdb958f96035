/**
 * agent-dagger: the command line. Parsing by commander (a well-kept library, so help, errors and
 * sub-commands behave as users expect).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { parseDocument } from 'yaml';
import { ConfigError, loadConfig } from '../config/load';
import {
  connectClient,
  describeExperiment,
  errorChain,
  listExperiments,
  workflowVerdict,
  newExperimentId,
  pauseExperiment,
  resumeExperiment,
  setSchedule,
  stopExperiment,
} from './experiments';
import { PROJECT_ROOT } from '../config/paths';
import { recordedServer } from './embedded-server';
import { formatReport } from './progress';
import { runMainJob, runWorkerProcess, serveEmbedded, startFromConfig } from './run';
import { registerSearchAttributes } from './search-attributes';
import { loadSweep } from '../config/sweep';
import { formatSweepStatus, runSweepJob } from './sweep';
import { reportCommand } from '../report';
import { sweepStatusQuery } from '../workflows/sweep';

const DEFAULT_CONFIG = path.join(PROJECT_ROOT, 'config', 'default.yaml');

const program = new Command()
  .name('agent-dagger')
  .description('Durable DAgger post-training for multi-turn LLM agents, on Temporal')
  .showHelpAfterError();

// The default server: $TEMPORAL_ADDRESS, else the one a run of this checkout has up (it may be on another port), else 7233.
const address = new Option('--address <host:port>', 'Temporal server').default(
  process.env.TEMPORAL_ADDRESS ?? recordedServer(path.join(PROJECT_ROOT, 'runs', 'temporal.db'))?.address ?? '127.0.0.1:7233',
);
const namespace = new Option('--namespace <ns>', 'Temporal namespace').default(process.env.TEMPORAL_NAMESPACE ?? 'default');

program
  .command('run')
  .description('the main job: embedded Temporal server, bundled policies, workers and an experiment, to the end')
  .argument('[config]', 'experiment config (YAML)', DEFAULT_CONFIG)
  .option('--resume <experimentId>', 'attach to an experiment started earlier instead of starting a new one')
  .option('--id <experimentId>', 'the experiment id (default: <name>-<time>); its results go to <runRoot>/<id>')
  .option('--set <key=value...>', 'override top-level config fields, e.g. --set iterations=2 seed=3')
  .action(async (configFile: string, opts: { resume?: string; id?: string; set?: string[] }) => {
    await runMainJob(loadConfig(configFile, overrides(opts.set)), { resume: opts.resume, id: opts.id });
  });

program
  .command('sweep')
  .description('run several experiments side by side (methods × seeds) with the embedded stack, then rank them')
  .argument('<sweep>', 'sweep config (YAML; e.g. config/sweeps/default-methods.yaml)')
  .option('--resume <sweepId>', 'attach to a sweep started earlier instead of starting a new one')
  .option('--id <sweepId>', 'the sweep id (default: <name>-<time>)')
  .action(async (file: string, opts: { resume?: string; id?: string }) => {
    const sweepId = opts.resume ?? opts.id ?? newExperimentId(loadSweep(file).sweep.name);
    await runSweepJob(loadSweep(file, sweepId), sweepId, { resume: Boolean(opts.resume) });
  });

program
  .command('sweep-status')
  .description("a sweep's experiments and their state")
  .argument('<sweepId>')
  .addOption(address)
  .addOption(namespace)
  .action(async (id: string, opts: { address: string; namespace: string }) => {
    const client = await connectClient(opts.address, opts.namespace);
    // A sweep that failed (e.g. its input was refused) may not answer the query: the server's verdict first.
    const { workflowStatus, failure } = await workflowVerdict(client, id, 'sweep');
    if (failure !== null) throw new Error(`${id}: ${workflowStatus}: ${failure}`);
    console.log(formatSweepStatus(await client.workflow.getHandle(id).query(sweepStatusQuery)));
  });

program
  .command('report')
  .description('write the HTML/JSON/CSV report of a run directory or a sweep directory; prints the HTML path')
  .argument('<dir>', 'runs/<experiment> or runs/<sweep>')
  .action(async (dir: string) => {
    console.log(await reportCommand(path.resolve(dir)));
  });

program
  .command('start')
  .description('start an experiment on a running server and workers; prints its id')
  .argument('<config>', 'experiment config (YAML)')
  .addOption(address)
  .addOption(namespace)
  .option('--id <experimentId>', 'the workflow id (default: <name>-<time>)')
  .option('--set <key=value...>', 'override top-level config fields')
  .option('--no-verify', "skip the checks before starting (task files readable here, endpoints answering, a worker polling)")
  .action(async (configFile: string, opts: { address: string; namespace: string; id?: string; set?: string[]; verify: boolean }) => {
    const id = await startFromConfig(loadConfig(configFile, overrides(opts.set)), opts);
    console.log(id);
  });

program
  .command('status')
  .description("an experiment's iteration, episode progress and results")
  .argument('<experimentId>')
  .addOption(address)
  .addOption(namespace)
  .option('--json', 'print JSON')
  .action(async (id: string, opts: { address: string; namespace: string; json?: boolean }) => {
    const client = await connectClient(opts.address, opts.namespace);
    const report = await describeExperiment(client, id);
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  });

for (const [name, description, fn] of [
  ['pause', 'pause: running episodes finish, no new ones start', pauseExperiment],
  ['resume', 'resume a paused experiment', resumeExperiment],
  ['stop', 'stop after the current iteration (its data, training and evaluation complete)', stopExperiment],
] as const) {
  program
    .command(name)
    .description(description)
    .argument('<experimentId>')
    .addOption(address)
    .addOption(namespace)
    .action(async (id: string, opts: { address: string; namespace: string }) => {
      await fn(await connectClient(opts.address, opts.namespace), id);
      console.log(`${name}: sent to ${id}`);
    });
}

program
  .command('set-schedule')
  .description("replace the algorithm block (schedule) from the next iteration on, from a YAML file")
  .argument('<experimentId>')
  .argument('<file>', 'YAML with the new `algorithm:` block (or the block itself); fields left out keep their current values')
  .addOption(address)
  .addOption(namespace)
  .action(async (id: string, file: string, opts: { address: string; namespace: string }) => {
    const doc = readScheduleFile(file);
    const algorithm = await setSchedule(await connectClient(opts.address, opts.namespace), id, doc.algorithm ?? doc);
    console.log(`schedule of ${id} is now ${JSON.stringify(algorithm)}`);
  });

program
  .command('list')
  .description('experiments on the server, newest first')
  .addOption(address)
  .addOption(namespace)
  .action(async (opts: { address: string; namespace: string }) => {
    const rows = await listExperiments(await connectClient(opts.address, opts.namespace));
    if (rows.length === 0) console.log('no experiments');
    for (const r of rows) {
      const success = r.success === null ? '' : ` success=${(r.success * 100).toFixed(1)}%`;
      console.log(`${r.experimentId}  ${r.status}  started ${r.startTime.toISOString()}  iteration=${r.iteration ?? '-'}${success}`);
    }
  });

program
  .command('worker')
  .description('run workers for one or more roles against a server (scale out by running more)')
  .addOption(new Option('--role <roles...>', 'roles').choices(['orchestrator', 'rollout', 'train']).default(['orchestrator', 'rollout', 'train']))
  .addOption(address)
  .addOption(namespace)
  .option('--host-id <id>', "this Docker host's name (default: the hostname)")
  .action(async (opts: { role: ('orchestrator' | 'rollout' | 'train')[]; address: string; namespace: string; hostId?: string }) => {
    await runWorkerProcess(opts);
  });

program
  .command('register-search-attributes')
  .description("register the workflows' search attributes on a namespace of a self-hosted cluster (idempotent; docs/cluster.md)")
  .addOption(address)
  .addOption(namespace)
  .action(async (opts: { address: string; namespace: string }) => {
    const client = await connectClient(opts.address, opts.namespace);
    try {
      const { added, present } = await registerSearchAttributes(client);
      console.log(`namespace ${opts.namespace}: added ${added.join(', ') || 'none'}; already there: ${present.join(', ') || 'none'}`);
    } finally {
      await client.connection.close();
    }
  });

program
  .command('server')
  .description('run the embedded Temporal server (SQLite file, Web UI) until interrupted')
  .option('--db <file>', 'SQLite file', path.join(PROJECT_ROOT, 'runs', 'temporal.db'))
  .option('--port <port>', 'gRPC port (when it starts one)', '7233')
  .option('--ui-port <port>', 'Web UI port (when it starts one)', '8233')
  .action(async (opts: { db: string; port: string; uiPort: string }) => {
    await serveEmbedded({ dbFile: path.resolve(opts.db), port: Number(opts.port), uiPort: Number(opts.uiPort) });
  });

/** A schedule file as an object; malformed YAML is reported as such, with its line and column. */
function readScheduleFile(file: string): Record<string, unknown> {
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (doc.errors.length) throw new Error(`${file} is not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  const value = doc.toJS() as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${file} must hold a mapping: an \`algorithm:\` block or the block itself (kind: …), got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function overrides(pairs: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError('--set', [`expected key=value, got "${pair}"`]);
    out[pair.slice(0, eq)] = parseDocument(pair.slice(eq + 1)).toJS();
  }
  return out;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `agent-dagger: ${errorChain(err)}`);
  process.exit(1);
});
