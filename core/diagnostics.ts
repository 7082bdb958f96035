/**
 * What an iteration's trajectories say beyond success: teacher–student agreement on visited states (by
 * turn index and by who controlled the prefix — the covariate shift the method is about), cost, and
 * behaviour. Pure: trajectories in, numbers out.
 */
import type { Action, TrajectoryRecord } from './types';

export interface Rate {
  n: number;
  agree: number;
}

export interface Diagnostics {
  /** States where both the teacher's label and the student's own proposal exist. */
  agreement: {
    overall: Rate;
    /** By who controlled the prefix: `teacher` = every earlier turn was the teacher's, else `student`. */
    byPrefix: { teacher: Rate; student: Rate };
    byTurn: (Rate & { turn: number })[];
  };
  cost: {
    teacherCalls: number;
    teacherPromptTokens: number;
    teacherCompletionTokens: number;
    studentCalls: number;
    studentPromptTokens: number;
    studentCompletionTokens: number;
    /** Summed model latency (s) and sandbox time of executed actions (s). */
    policySeconds: number;
    sandboxSeconds: number;
  };
  behaviour: {
    episodes: number;
    turns: number;
    /** Executed tool calls by kind (`str_replace_editor` split by its command). */
    actions: Record<string, number>;
    errorObservations: number;
    /** A failed command (error observation or non-zero exit) followed by the episode still resolving. */
    recoveredEpisodes: number;
    endReasons: Record<string, number>;
  };
}

/** Two actions agree when they call the same tool with the same arguments (reasoning text aside). */
export function sameAction(a: Action, b: Action): boolean {
  const x = a.toolCalls[0];
  const y = b.toolCalls[0];
  if (!x || !y) return false;
  return x.name === y.name && canonicalJson(x.arguments) === canonicalJson(y.arguments);
}

export function diagnose(trajectories: TrajectoryRecord[]): Diagnostics {
  const empty = (): Rate => ({ n: 0, agree: 0 });
  const d: Diagnostics = {
    agreement: { overall: empty(), byPrefix: { teacher: empty(), student: empty() }, byTurn: [] },
    cost: {
      teacherCalls: 0,
      teacherPromptTokens: 0,
      teacherCompletionTokens: 0,
      studentCalls: 0,
      studentPromptTokens: 0,
      studentCompletionTokens: 0,
      policySeconds: 0,
      sandboxSeconds: 0,
    },
    behaviour: { episodes: trajectories.length, turns: 0, actions: {}, errorObservations: 0, recoveredEpisodes: 0, endReasons: {} },
  };
  for (const trajectory of trajectories) {
    const b = d.behaviour;
    b.endReasons[trajectory.endReason] = (b.endReasons[trajectory.endReason] ?? 0) + 1;
    let studentInPrefix = false;
    let failedBefore = false;
    for (const turn of trajectory.turns) {
      b.turns++;
      for (const [role, output] of [['teacher', turn.label], ['student', turn.student]] as const) {
        if (!output) continue;
        d.cost[`${role}Calls`]++;
        d.cost[`${role}PromptTokens`] += output.usage.promptTokens;
        d.cost[`${role}CompletionTokens`] += output.usage.completionTokens;
        d.cost.policySeconds += output.latencyMs / 1000;
      }
      d.cost.sandboxSeconds += turn.observation.durationMs / 1000;
      if (turn.label && turn.student) {
        const agree = sameAction(turn.label.action, turn.student.action) ? 1 : 0;
        const cells = [d.agreement.overall, d.agreement.byPrefix[studentInPrefix ? 'student' : 'teacher'], rateAt(d.agreement.byTurn, turn.turn)];
        for (const cell of cells) {
          cell.n++;
          cell.agree += agree;
        }
      }
      const kind = actionKind(turn.executed);
      b.actions[kind] = (b.actions[kind] ?? 0) + 1;
      if (turn.observation.error) b.errorObservations++;
      failedBefore ||= turn.observation.error || (turn.observation.exitCode !== null && turn.observation.exitCode !== 0);
      studentInPrefix ||= turn.executor === 'student';
    }
    if (failedBefore && trajectory.reward === 1) b.recoveredEpisodes++;
  }
  d.agreement.byTurn.sort((x, y) => x.turn - y.turn);
  return d;
}

function rateAt(rows: (Rate & { turn: number })[], turn: number): Rate {
  let row = rows.find((r) => r.turn === turn);
  if (!row) {
    row = { turn, n: 0, agree: 0 };
    rows.push(row);
  }
  return row;
}

function actionKind(action: Action): string {
  const call = action.toolCalls[0];
  if (!call) return 'malformed';
  if (call.name === 'str_replace_editor' && typeof call.arguments.command === 'string') return `editor:${call.arguments.command}`;
  return call.name;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
