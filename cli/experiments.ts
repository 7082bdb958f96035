/**
 * Starting and steering experiments through a Temporal client: what the CLI's commands do, usable from
 * tests and scripts too. The config is validated here, before any work starts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ExperimentConfig, PolicyConfig } from '../config/schema';
import { TASK_QUEUES } from '../workflows/task-queues';
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

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

/** A fresh experiment id: the config's name and the start time (UTC). */
export function newExperimentId(name: string, now = new Date()): string {
  return `${name}-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`;
}

/** Write the run directory's config.json and start the experiment workflow; returns its input. */
export async function startExperiment(client: Client, config: ResolvedConfig, experimentId: string): Promise<ExperimentInput> {
  const runDir = path.join(config.runRoot, experimentId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
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

export async function pauseExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentId).signal(pauseSignal);
}
export async function resumeExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentId).signal(resumeSignal);
}
export async function stopExperiment(client: Client, experimentId: string): Promise<void> {
  await client.workflow.getHandle(experimentId).signal(stopAfterIterationSignal);
}

/** Replace the schedule from the next iteration on; the new algorithm block is validated first. */
export async function setSchedule(client: Client, experimentId: string, algorithm: unknown): Promise<AlgorithmConfig> {
  const parsed = AlgorithmSchema.safeParse(algorithm);
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
