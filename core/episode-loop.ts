/**
 * The episode loop: the paper's Algorithm 1, the only copy.
 *
 * At every visited state h_t the teacher is asked for its label a*_t (one call, which is also the executed
 * action when z_t = 1); when z_t = 0 the student samples a_t. Both need only h_t, so they are requested at
 * once. The executed action runs in the environment and the history continues with it. The loop ends at
 * `finish`, at T_max, when the context no longer fits, or after too many consecutive malformed actions.
 *
 * Pure control flow over three injected functions: the workflow passes its activity proxies (which keep the
 * history and the records in the run store), an offline driver passes direct calls. Verification and the
 * sandbox's lifetime are the caller's, around the loop.
 */
import type { EndReason, Executor } from './types';

export interface EpisodeLimits {
  /** T_max. */
  maxTurns: number;
  /** The episode ends after this many malformed executed actions in a row. */
  maxConsecutiveFormatErrors: number;
}

/** What a policy call reports back to the loop (the action itself stays with the caller's store). */
export interface PolicyReply {
  /** The endpoint said the prompt exceeds the model's context. */
  contextExceeded: boolean;
}

/** What executing an action reports back to the loop. */
export interface StepReply {
  /** The executed action was a successful `finish`. */
  finished: boolean;
  /** The executed action could not be executed as given (no parsable call, a tool the episode lacks). */
  formatError: boolean;
}

export interface EpisodePorts {
  /** z_t: who executes turn t. */
  executor(turn: number): Executor;
  /** The teacher's label a*_t at h_t; absent for episodes without labels (the student alone). */
  label?: (turn: number) => Promise<PolicyReply>;
  /** The student's sample at h_t (its action when it executes; a proposal for diagnostics otherwise). */
  propose(turn: number): Promise<PolicyReply>;
  /** Also sample the student where the teacher executes (agreement diagnostics). */
  studentProposals: boolean;
  /** Execute turn t's action (the label when the teacher executes, else the student's sample). */
  step(turn: number, executor: Executor): Promise<StepReply>;
}

/** Run turns until the episode ends; returns why it ended. */
export async function runEpisodeLoop(ports: EpisodePorts, limits: EpisodeLimits): Promise<EndReason> {
  let formatErrors = 0;
  for (let t = 0; t < limits.maxTurns; t++) {
    const executor = ports.label ? ports.executor(t) : 'student';
    const wantStudent = executor === 'student' || ports.studentProposals;
    const [label, proposal] = await Promise.all([
      ports.label ? ports.label(t) : null,
      wantStudent ? ports.propose(t) : null,
    ]);
    if (label?.contextExceeded) return 'context';
    if (executor === 'student' && proposal?.contextExceeded) return 'context';
    const step = await ports.step(t, executor);
    if (step.finished) return 'finish';
    formatErrors = step.formatError ? formatErrors + 1 : 0;
    if (formatErrors >= limits.maxConsecutiveFormatErrors) return 'format_errors';
  }
  return 'max_turns';
}
