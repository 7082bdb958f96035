/**
 * Executes one action a_t in a sandbox and returns the observation o_t.
 *
 * Model faults (a parse error, an unknown tool, bad arguments, an editor refusal) become error
 * observations the model can recover from. Infrastructure faults (Docker down, the container gone)
 * throw, naming the container, so that Temporal retries the activity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Action, Observation } from '../../core/types';
import type { StepResult } from '../types';
import type { DockerSandboxes } from '../sandbox/docker';
import { AGENT_DIR, MAX_COMMAND_BYTES, STATE_DIR } from '../sandbox/session';
import { EXECUTE_BASH, FINISH, STR_REPLACE_EDITOR, THINK } from './definitions';
import { truncateMiddle } from './truncate';
import { validateToolCall } from './validate';

export const EDITOR_PATH = `${AGENT_DIR}/editor.py`;
/** Editor views are clipped here (with a note to use grep -n / view_range) before the general truncation. */
const EDITOR_VIEW_CHARS = 16_000;
/** Requests longer than this go through a file instead of the command line (argv strings are bounded). */
const INLINE_REQUEST_BYTES = 60_000;

export interface ExecuteOptions {
  /** The workspace: the editor's root (besides /tmp). */
  workdir: string;
  /** Upper bound for a command's timeout, seconds. */
  commandTimeoutS: number;
  /** Observations longer than this are cut in the middle (half head, half tail). */
  maxObservationChars: number;
  /**
   * Names this step (e.g. the episode's turn): executing the same key again replays the recorded result
   * instead of running the action twice (a retried activity after a lost worker). See env/sandbox/session.ts.
   */
  journalKey?: string;
}

type Sandboxes = Pick<DockerSandboxes, 'exec' | 'putFiles'>;

/** Puts the editor into the sandbox; call once at sandbox setup (root-owned: the agent cannot alter it). */
export async function installTools(sandboxes: Pick<DockerSandboxes, 'putFiles'>, id: string): Promise<void> {
  const source = readFileSync(join(__dirname, 'editor.py'));
  await sandboxes.putFiles(id, [{ path: EDITOR_PATH, content: source, mode: 0o644 }], { user: 'root' });
}

export async function executeAction(sandboxes: Sandboxes, id: string, action: Action, opts: ExecuteOptions): Promise<StepResult> {
  const started = Date.now();
  if (action.parseError) return modelFault(action.parseError, started, opts);
  const call = action.toolCalls[0];
  if (!call) return modelFault('No tool call found in your message: call exactly one tool (use `finish` when the task is done).', started, opts);
  if (action.toolCalls.length > 1) return modelFault(`You made ${action.toolCalls.length} tool calls; only one is allowed per message.`, started, opts);
  const invalid = validateToolCall(call);
  if (invalid) return modelFault(invalid, started, opts);
  const args = call.arguments;

  switch (call.name) {
    case THINK:
      return result('Your thought has been logged.', { started, opts });
    case FINISH:
      return { ...result('Task marked as finished.', { started, opts }), finished: true };
    case EXECUTE_BASH:
      return executeBash(sandboxes, id, String(args.command), args.timeout as number | undefined, started, opts);
    case STR_REPLACE_EDITOR:
      return executeEditor(sandboxes, id, args, started, opts);
    default:
      return modelFault(`Tool ${call.name} is not available here.`, started, opts);
  }
}

async function executeBash(sandboxes: Sandboxes, id: string, command: string, timeout: number | undefined, started: number, opts: ExecuteOptions): Promise<StepResult> {
  if (command.trim() === '') return modelFault('The command is empty: give a bash command to run.', started, opts);
  const bytes = Buffer.byteLength(command);
  if (bytes > MAX_COMMAND_BYTES) {
    return modelFault(`The command is ${bytes} bytes long; the limit is ${MAX_COMMAND_BYTES}. Write long content with str_replace_editor's create, then run a short command.`, started, opts);
  }
  if (timeout !== undefined && timeout <= 0) return modelFault(`timeout must be a positive number of seconds, got ${timeout}.`, started, opts);
  const timeoutS = Math.min(timeout ?? opts.commandTimeoutS, opts.commandTimeoutS);
  const run = await sandboxes.exec(id, command, { timeoutS, journal: opts.journalKey });
  const footer = run.timedOut
    ? `[The command timed out after ${timeoutS} seconds and was killed. Run long commands in the background (cmd > log 2>&1 &) or with a smaller workload.]`
    : `[The command completed with exit code ${run.exitCode}.]`;
  const body = run.output.endsWith('\n') || run.output === '' ? run.output : `${run.output}\n`;
  return result(body + footer, { started, opts, exitCode: run.exitCode, timedOut: run.timedOut });
}

async function executeEditor(sandboxes: Sandboxes, id: string, args: Record<string, unknown>, started: number, opts: ExecuteOptions): Promise<StepResult> {
  const request = JSON.stringify({
    ...args,
    roots: [opts.workdir, '/tmp'],
    max_chars: Math.min(EDITOR_VIEW_CHARS, opts.maxObservationChars),
    history_root: STATE_DIR,
  });
  let argument: string;
  if (Buffer.byteLength(request) <= INLINE_REQUEST_BYTES) {
    argument = Buffer.from(request).toString('base64');
  } else {
    const file = `/tmp/.agent-dagger-editor-${Date.now()}-${Math.random().toString(36).slice(2)}.json`;
    await sandboxes.putFiles(id, [{ path: file, content: request, mode: 0o600 }]);
    argument = `@${file}`;
  }
  const run = await sandboxes.exec(id, `python3 ${EDITOR_PATH} ${argument}`, { timeoutS: Math.min(60, opts.commandTimeoutS), journal: opts.journalKey });
  if (run.exitCode === 127 || /can't open file .*editor\.py/.test(run.output)) {
    throw new Error(`str_replace_editor is not usable in sandbox ${id.slice(0, 12)} (python3 or ${EDITOR_PATH} missing; was installTools called?): ${run.output.slice(0, 300)}`);
  }
  if (run.timedOut) return modelFault('The editor timed out (is the file very large?). Use execute_bash with sed/grep instead.', started, opts);
  const error = run.exitCode !== 0;
  return result(run.output, { started, opts, error });
}

function modelFault(message: string, started: number, opts: ExecuteOptions): StepResult {
  return result(message.startsWith('ERROR') ? message : `ERROR:\n${message}`, { started, opts, error: true });
}

function result(text: string, r: { started: number; opts: ExecuteOptions; exitCode?: number | null; timedOut?: boolean; error?: boolean }): StepResult {
  const half = Math.floor(r.opts.maxObservationChars / 2);
  const cut = truncateMiddle(text, half, r.opts.maxObservationChars - half);
  const observation: Observation = {
    text: cut.text,
    fullChars: cut.fullChars,
    truncated: cut.truncated,
    exitCode: r.exitCode ?? null,
    timedOut: r.timedOut ?? false,
    durationMs: Date.now() - r.started,
    error: r.error ?? false,
  };
  return { observation, fullText: cut.truncated ? text : null, finished: false };
}
