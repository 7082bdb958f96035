/**
 * Starting and steering experiments through a Temporal client: what the CLI's commands do, usable from
 * tests and scripts too. The config is validated here, before any work starts.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ExperimentConfig, PolicyConfig } from '../config/schema';
import { TASK_QUEUES } from '../workflows/task-queues';
import { describeRunLocation, runLocationFor } from '../store/location';
import { RunStore } from '../store/run-store';
import { connectTemporalClient, securityFromEnv, type ConnectionSecurity } from './connection';
import {
  experimentWorkflow,
  pauseSignal,
  resumeSignal,
  setScheduleUpdate,
  statusQuery,
  stopAfterIterationSignal,
  type ExperimentInput,
  type ExperimentResult,
  type ExperimentStatus,
} from '../workflows/experiment';
import { iterationProgressQuery, type IterationProgress, type ResolvedConfig } from '../workflows/iteration';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { AlgorithmSchema, type AlgorithmConfig } from '../config/schema';

/** A client of `namespace` at `address`; TLS and API key from the `temporal` CLI's environment variables unless given. */
export function connectClient(address: string, namespace: string, security: ConnectionSecurity = securityFromEnv()): Promise<Client> {
  return connectTemporalClient(address, namespace, security);
}

/** A fresh experiment id: the config's name and the start time (UTC). */
export function newExperimentId(name: string, now = new Date()): string {
  return `${name}-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`;
}

/**
 * Refuse an id that is taken, before anything is written: by a run directory with a config (its results would be
 * overwritten) or by a workflow on the server, in any state (a closed one may be started again under its id).
 */
export async function ensureNewExperiment(client: Client, runRoot: string, experimentId: string): Promise<void> {
  const recorded = path.join(runRoot, experimentId, 'config.json');
  if (existsSync(recorded)) {
    throw new Error(`experiment ${experimentId} exists already (${recorded}): choose another --id, or continue it with --resume ${experimentId}`);
  }
  const existing = await client.workflow
    .getHandle(experimentId)
    .describe()
    .catch((err) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
  if (existing) {
    throw new Error(`a workflow ${experimentId} exists already on the server (${existing.status.name}): choose another --id${existing.status.name === 'RUNNING' ? `, or attach to it with --resume ${experimentId}` : ''}`);
  }
}

/** Write the run directory's config.json and start the experiment workflow (a taken id is refused first); returns its input. */
export async function startExperiment(client: Client, config: ResolvedConfig, experimentId: string): Promise<ExperimentInput> {
  await ensureNewExperiment(client, config.runRoot, experimentId);
  const runDir = await createRun(config, experimentId);
  const input: ExperimentInput = { experimentId, runDir, config };
  await client.workflow.start(experimentWorkflow, {
    workflowId: experimentId,
    taskQueue: TASK_QUEUES.orchestrate,
    args: [input],
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.experiment, value: experimentId },
      { key: SEARCH_ATTRIBUTES.algorithm, value: algorithmLabel(config) },
    ],
    memo: { config: configMemo(config), runDir },
  });
  return input;
}

/**
 * The run location of an experiment (a directory under runRoot, or a prefix in the config's S3 store) with its
 * config.json written there; in a store, a location that holds a config already is refused (the id is taken).
 */
export async function createRun(config: ResolvedConfig, experimentId: string): Promise<string> {
  if (!config.store || config.store.kind === 'local') {
    const runDir = path.join(config.runRoot, experimentId);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    return runDir;
  }
  const runDir = runLocationFor(config.store, config.runRoot, experimentId);
  const written = await new RunStore(runDir).putJsonOnce('config.json', config);
  if (!written.created) throw new Error(`experiment ${experimentId} exists already in the store (${describeRunLocation(runDir)}): choose another --id`);
  return runDir;
}

/** The algorithm as the Web UI shows it: dagger, aggrevate, or sft (β = 1 with rejection sampling). */
export function algorithmLabel(config: ExperimentConfig): string {
  const a = config.algorithm;
  if (a.kind === 'dagger' && a.rejectionSampling && a.beta.type === 'constant' && a.beta.value === 1) return 'sft';
  return a.kind;
}

function configMemo(config: ExperimentConfig) {
  return {
    name: config.name,
    seed: config.seed,
    iterations: config.iterations,
    algorithm: config.algorithm,
    student: describePolicy(config.student),
    teacher: describePolicy(config.teacher),
    suite: config.tasks.suite,
  };
}

function describePolicy(policy: PolicyConfig): string {
  if (policy.kind === 'endpoint') return `${policy.model} at ${policy.baseUrl}`;
  return policy.kind === 'bundled' ? `bundled ${policy.name}` : `local ${policy.model}`;
}

export interface FullStatus {
  experiment: ExperimentStatus;
  iteration: IterationProgress | null;
}

/** What the server says of an experiment, beyond its own status query: how it closed, or why it cannot answer. */
export interface ExperimentReport {
  experimentId: string;
  /** The server's state of the latest run: RUNNING, COMPLETED, FAILED, TERMINATED, TIMED_OUT, CANCELLED. */
  workflowStatus: string;
  /** Failed, terminated, timed out or cancelled: the failure's message. */
  failure: string | null;
  /** Running but its workflow tasks fail (it makes no progress): the last task failure. */
  stuck: string | null;
  /** The status query's answer (null when the workflow cannot answer: it failed at its start, or is stuck). */
  status: FullStatus | null;
}

const CLOSED_UNSUCCESSFULLY = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

/** The server's state of a workflow's latest run and, when it closed unsuccessfully, the failure's message. */
export async function workflowVerdict(client: Client, workflowId: string, what = 'experiment'): Promise<{ workflowStatus: string; failure: string | null }> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch((err) => {
    if (err instanceof WorkflowNotFoundError) throw new Error(`no ${what} ${workflowId} on this server (\`agent-dagger list\` shows the experiments it has)`);
    throw err;
  });
  const workflowStatus = description.status.name;
  const failure = CLOSED_UNSUCCESSFULLY.has(workflowStatus) ? await handle.result().then(() => null, (err: { cause?: unknown }) => errorChain(err.cause ?? err)) : null;
  return { workflowStatus, failure };
}

/** An experiment as it is: the server's view first (a failed workflow is reported failed), then its own status. */
export async function describeExperiment(client: Client, experimentId: string): Promise<ExperimentReport> {
  const handle = client.workflow.getHandle(experimentId);
  const { workflowStatus, failure } = await workflowVerdict(client, experimentId);
  let status: FullStatus | null = null;
  let stuck: string | null = null;
  try {
    status = await experimentStatus(client, experimentId);
  } catch (err) {
    if (workflowStatus === 'RUNNING') stuck = (await lastWorkflowTaskFailure(handle)) ?? `it does not answer the status query: ${errorChain(err)}`;
  }
  return { experimentId, workflowStatus, failure, stuck, status };
}

/** The message of the run's last failed workflow task, if any. */
async function lastWorkflowTaskFailure(handle: WorkflowHandle): Promise<string | null> {
  const history = await handle.fetchHistory();
  const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).pop();
  const message = failed?.workflowTaskFailedEventAttributes?.failure?.message;
  return message ? `its workflow tasks fail: ${message}` : null;
}

/** An error and its causes, one message each (a workflow failure's own message is in its cause). */
export function errorChain(err: unknown): string {
  const messages: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e && messages.length < 5; e = e.cause as typeof e) {
    if (e.message && !messages.includes(e.message)) messages.push(e.message);
  }
  return messages.join(': ') || String(err);
}

/** The experiment's status, with the running iteration's episode progress. */
export async function experimentStatus(client: Client, experimentId: string): Promise<FullStatus> {
  const experiment = await client.workflow.getHandle(experimentId).query(statusQuery);
  let iteration: IterationProgress | null = null;
  if (experiment.currentIterationWorkflowId) {
    iteration = await client.workflow
      .getHandle(experiment.currentIterationWorkflowId)
      .query(iterationProgressQuery)
      .catch((err) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
  }
  return { experiment, iteration };
}

/** Why a control signal would change nothing now (null: send it). A signal has no reply, so this is checked first. */
function signalRefusal(report: ExperimentReport, action: 'pause' | 'resume' | 'stop'): string | null {
  const state = report.status?.experiment.state;
  if (report.workflowStatus !== 'RUNNING') return `${report.experimentId} is not running (${report.workflowStatus}${report.failure ? `: ${report.failure}` : ''}): nothing to ${action}`;
  if (report.stuck) return `${report.experimentId} is stuck (${report.stuck}): a signal would not be handled`;
  if (action === 'pause' && state === 'paused') return `${report.experimentId} is already paused`;
  if (action === 'resume' && state !== 'paused') return `${report.experimentId} is not paused (${state}): nothing to resume`;
  if (action === 'stop' && (state === 'stopping' || state === 'done')) return `${report.experimentId} is already ${state}`;
  return null;
}

/** Send a control signal when it would change something; else an error saying why not. */
async function control(client: Client, experimentId: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
  const refusal = signalRefusal(await describeExperiment(client, experimentId), action);
  if (refusal) throw new Error(refusal);
  const signal = { pause: pauseSignal, resume: resumeSignal, stop: stopAfterIterationSignal }[action];
  await client.workflow.getHandle(experimentId).signal(signal);
}

export const pauseExperiment = (client: Client, experimentId: string) => control(client, experimentId, 'pause');
export const resumeExperiment = (client: Client, experimentId: string) => control(client, experimentId, 'resume');
export const stopExperiment = (client: Client, experimentId: string) => control(client, experimentId, 'stop');

/**
 * Replace the schedule from the next iteration on. Fields the new block leaves out keep the experiment's current
 * values (same kind), so a file with only a new β does not reset, say, studentProposals; the result is validated
 * by the schema and sent complete (the workflow accepts only complete blocks).
 */
export async function setSchedule(client: Client, experimentId: string, algorithm: unknown): Promise<AlgorithmConfig> {
  const current = (await experimentStatus(client, experimentId)).experiment.algorithm;
  const block = algorithm as Record<string, unknown> | null;
  const merged = block && typeof block === 'object' && !Array.isArray(block) && block.kind === current.kind ? { ...current, ...block } : algorithm;
  const parsed = AlgorithmSchema.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`invalid algorithm block: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  try {
    return await client.workflow.getHandle(experimentId).executeUpdate(setScheduleUpdate, { args: [parsed.data] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new Error(`${experimentId} rejected the schedule: ${err.cause?.message ?? err.message}`);
    throw err;
  }
}

export async function waitForExperiment(client: Client, experimentId: string): Promise<ExperimentResult> {
  // The handle without a run id follows the continue-as-new chain to the final run's result.
  return client.workflow.getHandle(experimentId).result();
}

export interface ExperimentListing {
  experimentId: string;
  status: string;
  startTime: Date;
  iteration: number | null;
  success: number | null;
}

/** Experiments on the server, newest first (one row per experiment: its latest run). */
export async function listExperiments(client: Client, limit = 50): Promise<ExperimentListing[]> {
  const rows = new Map<string, ExperimentListing>();
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'experimentWorkflow'` })) {
    if (rows.has(wf.workflowId)) continue;
    const attrs = wf.typedSearchAttributes;
    rows.set(wf.workflowId, {
      experimentId: wf.workflowId,
      status: wf.status.name,
      startTime: wf.startTime,
      iteration: attrs.get(SEARCH_ATTRIBUTES.iteration) ?? null,
      success: attrs.get(SEARCH_ATTRIBUTES.success) ?? null,
    });
    if (rows.size >= limit) break;
  }
  return [...rows.values()];
}
