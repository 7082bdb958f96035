/**
 * The lookup family's off-path states, as pure functions of a task: the mistakes a student makes at a
 * broken module (to inject them and watch the oracle recover) and a classifier that tells, turn by turn,
 * whether an episode left the oracle's path (to count how often the oracle, and a student, get there).
 */
import type { Action, TurnRecord } from '../../core/types';
import type { TaskInstance } from '../../env/types';
import { editApplied, oracleCommands } from '../../policies/oracle';
import { goldEdits } from '../../env/swe/patches';
import type { LookupTask } from './family';

const WORKDIR = '/testbed';

/**
 * What a student typically gets wrong where the oracle views a broken module before fixing it. The sibling is the
 * module the issue does not point at (it defines the same functions, correctly).
 */
export const MISTAKES = [
  'view_sibling', // opens the sibling instead of the broken module: read-only, one turn lost
  'edit_sibling_failed', // writes the broken line into the sibling: "No replacement was performed"
  'edit_sibling_applied', // "fixes" the sibling's correct line the wrong way round: the sibling now has the bug
  'edit_failed', // old_str written with the right token (the line as it should be): not found
  'edit_wrong_token', // the broken line replaced with a third token: applied, still wrong
] as const;
export type Mistake = (typeof MISTAKES)[number];

function sibling(task: LookupTask): string {
  return Object.keys(task.buggy).find((m) => !task.broken.some((c) => c.module === m)) as string;
}

const path = (module: string) => `${WORKDIR}/${module}.py`;

/** The mistake `kind` at broken command `k` (0: the first the oracle fixes, 1: the second), as an action. */
export function mistakeAction(task: LookupTask, kind: Mistake, k: 0 | 1): Action {
  const c = task.broken[k];
  const other = sibling(task);
  const act = (args: Record<string, unknown>): Action => ({ content: 'This should be the module.', toolCalls: [{ id: `call_mistake_${kind}`, name: 'str_replace_editor', arguments: args }] });
  switch (kind) {
    case 'view_sibling':
      return act({ command: 'view', path: path(other), view_range: [1, 2] });
    case 'edit_sibling_failed':
      return act({ command: 'str_replace', path: path(other), old_str: c.buggyLine, new_str: c.fixedLine });
    case 'edit_sibling_applied':
      return act({ command: 'str_replace', path: path(other), old_str: c.fixedLine, new_str: c.buggyLine });
    case 'edit_failed':
      return act({ command: 'str_replace', path: path(c.module), old_str: c.fixedLine, new_str: c.buggyLine });
    case 'edit_wrong_token': {
      const third = ['+', '-', '*', '//', '%', '1', '2', '3', '4', '10'].find((tok) => tok !== c.bad && tok !== c.good && (/^\d+$/.test(tok) === /^\d+$/.test(c.good)));
      return act({ command: 'str_replace', path: path(c.module), old_str: c.buggyLine, new_str: c.buggyLine.replace(` ${c.bad}`, ` ${third}`) });
    }
  }
}

/**
 * Why a turn leaves the oracle's path on `task` (`instance` is its row in instances.jsonl), or null when it does
 * not. The oracle's own commands, its inspections and repairs are on the path (they are what it does from any
 * state); so is a finish, which the caller judges by the verdict.
 */
export function offPath(task: LookupTask, instance: TaskInstance, turn: Pick<TurnRecord, 'executed' | 'observation'>): string | null {
  const call = turn.executed.toolCalls[0];
  if (!call) return 'malformed call';
  if (call.name === 'finish' || call.name === 'think') return null;
  if (call.name === 'execute_bash') {
    const cmds = oracleCommands(instance);
    const command = String(call.arguments.command ?? '');
    const own = [cmds.inspect, cmds.test, cmds.symptom, ...goldEdits(instance.patch).map((e) => cmds.locate(e))];
    const repair = command.startsWith(`cd ${WORKDIR} && git checkout HEAD -- `) || command.startsWith(`cd ${WORKDIR} && git rm `);
    return own.includes(command) || repair ? null : 'other command';
  }
  if (call.name !== 'str_replace_editor') return `${call.name} called`;
  const args = call.arguments;
  const file = String(args.path ?? '');
  const onPath = [path('api'), ...task.broken.map((c) => path(c.module))];
  if (args.command === 'view') return onPath.includes(file) ? null : `viewed ${file}`;
  if (args.command !== 'str_replace') return `editor ${String(args.command)}`;
  if (!editApplied(turn.observation.text)) return `failed edit of ${file}`;
  const gold = task.broken.find((c) => path(c.module) === file && args.old_str === c.buggyLine && args.new_str === c.fixedLine);
  // The oracle's fallback edit (the whole two-line module) is also a correct fix.
  const whole = task.broken.find((c) => path(c.module) === file && args.old_str === task.buggy[c.module].trimEnd() && args.new_str === task.fixed[c.module].trimEnd());
  return gold || whole ? null : `wrong edit of ${file}`;
}
