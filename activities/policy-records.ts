/**
 * What a policy call costs and whether a teacher label may be trained on. Pure: the call records are read and
 * written by activities/policy.ts; the dataset aggregation and the iteration's stats count with these.
 *
 * Every request to an endpoint is recorded before it is sent (its intent) and its outcome as soon as it arrives,
 * under episodes/<id>/calls/<turn>.<role>/<attempt>.<try>.{request,response,error}.json (docs/formats.md). An
 * intent without an outcome is a request whose answer never reached the store: its worker died mid-call, or the
 * connection dropped or timed out. The endpoint may have answered and billed it, and the retry pays again.
 */
import type { EpisodeCallStats } from '../core/records';
import type { Action, PolicyOutput, ToolDefinition, TrajectoryRecord } from '../core/types';

export const CALL_RECORD_SCHEMA = 'agent-dagger/policy-call@1';

/** A request about to be sent (written before the call). */
export interface CallIntent {
  schema: typeof CALL_RECORD_SCHEMA;
  /** The activity attempt that sent it (Temporal's, from 1). */
  attempt: number;
  /** Which try within the attempt (a teacher whose reply is no valid label is asked again). */
  try: number;
  at: string;
  request: unknown;
}

/** How a request ended, written as soon as it is known. */
export type CallOutcome =
  | { schema: typeof CALL_RECORD_SCHEMA; attempt: number; try: number; at: string; kind: 'response'; response: unknown }
  /** An HTTP error status: the endpoint refused or failed, nothing was generated or billed. */
  | { schema: typeof CALL_RECORD_SCHEMA; attempt: number; try: number; at: string; kind: 'status'; status: number; message: string }
  /** No answer arrived (timeout, connection lost): the endpoint may have generated and billed one. */
  | { schema: typeof CALL_RECORD_SCHEMA; attempt: number; try: number; at: string; kind: 'lost'; message: string };

/** The cost of one (turn, role) output, over every attempt and try. */
export interface CallAccount {
  /** Requests sent. */
  calls: number;
  /** Requests answered with a completion. */
  answered: number;
  /** Requests answered with an error status (not billed). */
  failed: number;
  /**
   * Requests whose answer never reached the store (worker died mid-call, timeout, lost connection): paid for,
   * possibly, and asked again. This is what retries re-paid.
   */
  paidDuplicates: number;
  /** Tries after the first because the teacher's reply was no valid label. */
  labelRetries: number;
  /** The answer came from a response that an earlier, dead attempt had recorded: no new request. */
  reused: boolean;
  /** Tokens of the answered requests (a lost request's are unknown). */
  promptTokens: number;
  completionTokens: number;
}

/** A policy output as stored, with its cost and, for a teacher, why it is no label. */
export interface RecordedPolicyOutput extends PolicyOutput {
  calls?: CallAccount;
  /** Set on a teacher output that is no valid label after every try: it is never trained on. */
  teacherError?: string;
}

/** How many times a teacher is asked at one state before its reply counts as a teacher error. */
export const TEACHER_LABEL_TRIES = 3;

/** Why an action cannot be a label a*_t (null: it can): it must be exactly one call of a tool the episode offers. */
export function labelProblem(action: Action, tools: ToolDefinition[]): string | null {
  if (action.parseError) return `the reply does not parse as a tool call: ${action.parseError}`;
  if (action.toolCalls.length !== 1) return `the reply holds ${action.toolCalls.length} tool calls, not one`;
  const name = action.toolCalls[0]!.name;
  if (!tools.some((t) => t.function.name === name)) return `the reply calls ${JSON.stringify(name)}, which is not one of the episode's tools`;
  return null;
}

/** The seed of a try: the request's own for the first, a different one for each retry (a seeded endpoint repeats itself). */
export function trySeed(seed: number, attempt: number): number {
  return attempt === 0 ? seed : (seed + attempt * 0x9e3779b1) % 2_147_483_647;
}

/** Sums the records of one (turn, role). `reused`: whether the final answer came from an earlier attempt's record. */
export function accountCalls(intents: CallIntent[], outcomes: CallOutcome[], final: { try: number; reused: boolean }, usage: (response: unknown) => { promptTokens: number; completionTokens: number }): CallAccount {
  const key = (r: { attempt: number; try: number }) => `${r.attempt}.${r.try}`;
  const byKey = new Map(outcomes.map((o) => [key(o), o]));
  const account: CallAccount = { calls: intents.length, answered: 0, failed: 0, paidDuplicates: 0, labelRetries: final.try, reused: final.reused, promptTokens: 0, completionTokens: 0 };
  for (const intent of intents) {
    const outcome = byKey.get(key(intent));
    if (!outcome || outcome.kind === 'lost') {
      account.paidDuplicates++;
    } else if (outcome.kind === 'status') {
      account.failed++;
    } else {
      account.answered++;
      const u = usage(outcome.response);
      account.promptTokens += u.promptTokens;
      account.completionTokens += u.completionTokens;
    }
  }
  return account;
}

export function episodeCallStats(trajectory: Pick<TrajectoryRecord, 'turns' | 'tools'>): EpisodeCallStats {
  const stats: EpisodeCallStats = { teacherErrors: 0, paidDuplicates: 0, calls: 0, teacherCalls: 0, promptTokens: 0, completionTokens: 0 };
  for (const turn of trajectory.turns) {
    for (const output of [turn.label, turn.student] as (RecordedPolicyOutput | null)[]) {
      if (!output) continue;
      // Records written before calls were accounted count one call each.
      const calls = output.calls ?? { calls: 1, paidDuplicates: 0, promptTokens: output.usage.promptTokens, completionTokens: output.usage.completionTokens };
      stats.calls += calls.calls;
      stats.paidDuplicates += calls.paidDuplicates;
      stats.promptTokens += calls.promptTokens;
      stats.completionTokens += calls.completionTokens;
      if (output === turn.label) stats.teacherCalls += calls.calls;
    }
    if (turn.label && !turn.label.contextExceeded && !validLabel(turn.label, trajectory.tools)) stats.teacherErrors++;
  }
  return stats;
}

/** Whether a stored teacher output may be a training target. */
export function validLabel(label: RecordedPolicyOutput, tools: ToolDefinition[]): boolean {
  return !label.teacherError && !label.contextExceeded && labelProblem(label.action, tools) === null;
}

/** The trajectory as it is trained on: teacher outputs that are no valid label are dropped (label null). */
export function withValidLabels(trajectory: TrajectoryRecord): TrajectoryRecord {
  return { ...trajectory, turns: trajectory.turns.map((t) => (t.label && !validLabel(t.label, trajectory.tools) ? { ...t, label: null } : t)) };
}
