/**
 * A deliberately noisy student for the bundled tasks: with probability p per call it goes off track,
 * otherwise it acts like the oracle. It stands in for a weak student when exercising DAgger end to end:
 * its off-track turns create exactly the states (broken files, stray files, wasted turns, malformed calls,
 * early finishes) that the teacher must label well from.
 *
 * Deterministic given the request's seed and the turn index (number of assistant turns so far).
 */
import type { Action, Message } from '../core/types';
import type { TaskInstance } from '../env/types';
import { findTask, oracleAction } from './oracle';
import { goldEdits } from '../env/swe/patches';
import { unitInterval } from './random';
import { toReply, type Policy, type PolicyReply } from './server';

export const OFF_TRACK_KINDS = ['break_file', 'wrong_edit', 'stray_file', 'unrelated_view', 'useless_command', 'malformed_call', 'premature_finish'] as const;
export type OffTrackKind = (typeof OFF_TRACK_KINDS)[number];

/**
 * One off-track action of the given kind for this task at turn t. `malformed_call` is returned at the wire
 * level (arguments that are not JSON), which a canonical Action cannot hold.
 */
export function offTrackReply(kind: OffTrackKind, task: TaskInstance, t: number): PolicyReply {
  const id = `call_noisy_${t}`;
  const edits = goldEdits(task.patch);
  const target = edits[t % edits.length];
  const file = `${task.workdir}/${target.path}`;
  const call = (content: string, name: string, args: Record<string, unknown>): PolicyReply => toReply({ content, toolCalls: [{ id, name, arguments: args }] });
  switch (kind) {
    case 'break_file':
      // Appends a statement that makes the module fail on import: every test touching it breaks.
      return call('Let me add a quick debug check.', 'execute_bash', { command: `cd ${task.workdir} && printf '\\nraise RuntimeError("debug")\\n' >> ${target.path}` });
    case 'wrong_edit': {
      // Comments out the first line the fix touches: plausible-looking and wrong.
      const line = target.oldStr.split('\n').find((l) => l.trim() !== '' && !target.newStr.split('\n').includes(l)) ?? target.oldStr.split('\n')[0];
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      return call('I think this line is the problem; let me disable it.', 'str_replace_editor', {
        command: 'str_replace',
        path: file,
        old_str: line,
        new_str: `${indent}pass  # ${line.trim()}`,
      });
    }
    case 'stray_file':
      return call('Let me write a scratch script to reproduce the issue.', 'str_replace_editor', {
        command: 'create',
        path: `${task.workdir}/scratch_repro_${t}.py`,
        file_text: 'print("reproducing")\n',
      });
    case 'unrelated_view':
      return call('Let me read the README first.', 'str_replace_editor', { command: 'view', path: `${task.workdir}/README.md` });
    case 'useless_command':
      return call('Let me look around.', 'execute_bash', { command: t % 2 === 0 ? 'ls -la /tmp' : 'echo checking && pwd' });
    case 'malformed_call':
      return { content: 'Let me run the tests.', toolCalls: [{ id, name: 'execute_bash', arguments: '{"command": "python3 -m pytest' }] };
    case 'premature_finish':
      return call('I believe this is fixed.', 'finish', { message: 'Done.' });
  }
}

export interface NoisyOptions {
  /** Probability per call of an off-track action. */
  p: number;
  /** Used when a request carries no seed. */
  defaultSeed?: number;
}

/** The noisy student's reply for this history. */
export function noisyReply(tasks: TaskInstance[], messages: Message[], seed: number, options: NoisyOptions): PolicyReply {
  const t = messages.filter((m) => m.role === 'assistant').length;
  const task = findTask(tasks, messages);
  if (task && unitInterval(seed, t, 0) < options.p) {
    const kind = OFF_TRACK_KINDS[Math.floor(unitInterval(seed, t, 1) * OFF_TRACK_KINDS.length)];
    return offTrackReply(kind, task, t);
  }
  const action: Action = oracleAction(tasks, messages);
  return toReply({ ...action, toolCalls: action.toolCalls.map((c) => ({ ...c, id: `call_noisy_${t}` })) });
}

export function noisyPolicy(tasks: TaskInstance[], options: NoisyOptions): Policy {
  return (request) => noisyReply(tasks, request.messages, request.seed ?? options.defaultSeed ?? 0, options);
}
