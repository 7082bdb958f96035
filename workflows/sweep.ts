/**
 * A sweep: several experiments (methods × seeds) as child workflows, at most `parallel` at once, each visible in
 * the Web UI under its own id and found by the `DaggerSweep` search attribute. The report (ranking, plots, CSV) is
 * rewritten after every experiment that ends, so a running sweep always has an up-to-date one.
 *
 * Durable like everything else: a worker or server restart replays this workflow and its children continue; an
 * experiment that fails is recorded as failed and the others go on.
 */
import { ApplicationFailure, executeChild, proxyActivities, setHandler, defineQuery, upsertMemo, ParentClosePolicy, workflowInfo } from '@temporalio/workflow';
import type { RolloutActivities } from '../activities';
import type { IterationSummary } from '../core/records';
import { experimentWorkflow, type ExperimentInput } from './experiment';
import { checkSweepInput, describeProblems } from './messages';
import type { ResolvedConfig } from './iteration';
import { runPool } from './pool';
import { RETRY } from './retry-policies';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { TASK_QUEUES } from './task-queues';

export interface SweepMember {
  experimentId: string;
  method: string;
  seed: number;
  runDir: string;
  config: ResolvedConfig;
}

export interface SweepInput {
  sweepId: string;
  sweepDir: string;
  /** Experiments running at once. */
  parallel: number;
  members: SweepMember[];
}

export type MemberState = 'pending' | 'running' | 'done' | 'failed';

export interface SweepMemberStatus {
  experimentId: string;
  method: string;
  seed: number;
  state: MemberState;
  /** The last iteration's held-out success (else rollout success), once the experiment ended. */
  finalSuccess: number | null;
  /** With a budget: the iteration whose cumulative effective samples met it, null while (or if never) met. */
  budgetMetAt?: number | null;
  error: string | null;
}

export interface SweepStatus {
  sweepId: string;
  members: SweepMemberStatus[];
  report: string | null;
}

export interface SweepResult extends SweepStatus {
  /** The ranking in the report, best first (experiment ids). */
  ranking: string[];
}

export const sweepStatusQuery = defineQuery<SweepStatus>('sweepStatus');

const activities = proxyActivities<RolloutActivities>({
  taskQueue: TASK_QUEUES.rollout,
  startToCloseTimeout: '5 minutes',
  retry: RETRY.bookkeeping,
});

export async function sweepWorkflow(input: SweepInput): Promise<SweepResult> {
  // Checked before anything reads it (the Temporal CLI and the Web UI start sweeps too): a malformed input fails at once, named.
  const problems = checkSweepInput(input, { workflowId: workflowInfo().workflowId });
  if (problems.length) throw ApplicationFailure.nonRetryable(describeProblems('invalid sweep input', problems), 'InvalidSweepInput');
  const members: SweepMemberStatus[] = input.members.map((m) => ({
    experimentId: m.experimentId,
    method: m.method,
    seed: m.seed,
    state: 'pending',
    finalSuccess: null,
    error: null,
  }));
  let report: string | null = null;
  let ranking: string[] = [];
  setHandler(sweepStatusQuery, () => ({ sweepId: input.sweepId, members, report }));

  const writeReport = async () => {
    const written = await activities.writeSweepReport({
      sweepId: input.sweepId,
      sweepDir: input.sweepDir,
      experiments: input.members.map((m, i) => ({ name: m.experimentId, method: m.method, runDir: m.runDir, state: members[i].state })),
    });
    report = written.report;
    ranking = written.ranking;
    upsertMemo({ report, done: members.filter((m) => m.state === 'done').length, failed: members.filter((m) => m.state === 'failed').length });
  };

  await writeReport(); // the manifest and an empty report exist from the start
  await runPool(input.members, input.parallel, async (member, index) => {
    const status = members[index];
    status.state = 'running';
    const experiment: ExperimentInput = { experimentId: member.experimentId, runDir: member.runDir, config: member.config };
    try {
      const result = await executeChild(experimentWorkflow, {
        workflowId: member.experimentId,
        args: [experiment],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.experiment, value: member.experimentId },
          { key: SEARCH_ATTRIBUTES.algorithm, value: member.method },
          { key: SEARCH_ATTRIBUTES.sweep, value: input.sweepId },
        ],
        memo: { sweep: input.sweepId, method: member.method, seed: member.seed, runDir: member.runDir },
      });
      status.state = 'done';
      status.finalSuccess = finalSuccess(result.results);
      if (result.budget) status.budgetMetAt = result.budget.metAtIteration;
    } catch (err) {
      status.state = 'failed';
      status.error = describe(err);
    }
    await writeReport();
  });
  if (members.every((m) => m.state === 'failed')) {
    throw ApplicationFailure.nonRetryable(`every experiment of sweep ${input.sweepId} failed; first: ${members[0]?.error}`, 'SweepFailed');
  }
  return { sweepId: input.sweepId, members, report, ranking };
}

function finalSuccess(results: IterationSummary[]): number | null {
  const last = results[results.length - 1];
  return last ? (last.evalSuccessRate ?? last.successRate) : null;
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; cause?: { message?: string } } };
  return [e.message, e.cause?.message, e.cause?.cause?.message].filter(Boolean).join(': ');
}
