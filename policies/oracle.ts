/**
 * The oracle teacher π* for bundled SWE-format tasks: a pure function (task set, history) → next action.
 *
 * It is a DAgger expert: it must act well from ANY state an episode reaches, not only along its own
 * demonstrations. So it never trusts a plan blindly; it keeps a belief about the workspace that it
 * derives from the history alone:
 *   - at the start the workspace is at base_commit (the environment guarantees it);
 *   - its own edits (one gold hunk each, as str_replace) change the belief when their observation says
 *     they were applied;
 *   - views, thoughts, malformed calls and its own read-only commands change nothing;
 *   - anything else (someone else's edit or command, a failed gold edit) makes the belief unknown, and
 *     the oracle's next action is an INSPECTION of the workspace (its diff against HEAD, the base commit). From that
 *     observation it knows which files already hold exactly the gold change, which must be reverted and
 *     which stray files deleted; after a repair it inspects again.
 * With a known, clean belief it works like a careful engineer: locate the code (grep), view the region,
 * replace one hunk per turn, run the tests of the touched test files, then finish.
 * Deterministic: the same history always yields the same action (no randomness, no clock).
 */
import type { Action, Message, ToolCall } from '../core/types';
import type { TaskInstance } from '../env/types';
import { goldEdits, parseDiff, type GoldEdit } from '../env/swe/patches';
import { toReply, type Policy } from './server';

/** Separates the file list from the diff in the inspection command's output. */
const INSPECT_MARKER = '=== oracle: diff against base ===';

/** A turn of the history: the executed call (if any) and the text that answered it. */
interface PastTurn {
  call: ToolCall | null;
  observation: string;
}

/** What the oracle believes about the workspace after the history so far. */
interface Belief {
  /** False when something it cannot predict happened since its last inspection. */
  known: boolean;
  /** Indices (into the gold edits) already in the workspace. */
  applied: Set<number>;
  /** From the last inspection: files to restore to base, and files to delete. */
  revert: string[];
  remove: string[];
  /** The last inspection's output could not be read (e.g. the repository is gone). */
  inspectionFailed: boolean;
  /** Turn index of the last change to the workspace (an applied edit or a repair), -1 if none. */
  lastChange: number;
}

/**
 * A gold hunk as the oracle edits it. `oldStr`/`newStr` are what its str_replace sends: only the changed lines
 * when they are provably unique in the file, else the whole hunk with its context (`hunk`, always safe: that is
 * how the patch locates it). `line`/`span` are the hunk's lines, which the oracle views before editing.
 */
interface OracleEdit extends GoldEdit {
  hunk: { oldStr: string; newStr: string };
  span: number;
}

/** Git's default number of context lines around a change, which the bundled suites' patches use. */
const DIFF_CONTEXT = 3;

/**
 * The smallest str_replace for a hunk that is certainly right: the changed lines alone, if the hunk is the only
 * one of its file, starts at line 1 and has fewer than DIFF_CONTEXT context lines after the change (so under
 * git's default context its old text IS the whole file) and the changed old lines occur exactly once in it.
 * A careful engineer edits just the lines that change; shorter edits are also far easier for a small student
 * to reproduce (docs/toy-tasks.md). Anything else keeps the whole hunk.
 */
export function oracleEdits(patch: string): OracleEdit[] {
  const edits = goldEdits(patch);
  return edits.map((edit) => {
    const oldLines = edit.oldStr.split('\n');
    const newLines = edit.newStr.split('\n');
    const base: OracleEdit = { ...edit, hunk: { oldStr: edit.oldStr, newStr: edit.newStr }, span: oldLines.length };
    let lead = 0;
    while (lead < oldLines.length && lead < newLines.length && oldLines[lead] === newLines[lead]) lead++;
    let trail = 0;
    while (
      trail < oldLines.length - lead &&
      trail < newLines.length - lead &&
      oldLines[oldLines.length - 1 - trail] === newLines[newLines.length - 1 - trail]
    ) {
      trail++;
    }
    const oldStr = oldLines.slice(lead, oldLines.length - trail).join('\n');
    const newStr = newLines.slice(lead, newLines.length - trail).join('\n');
    const onlyHunkOfFile = edits.filter((e) => e.path === edit.path).length === 1;
    const wholeFile = onlyHunkOfFile && edit.line === 1 && trail < DIFF_CONTEXT;
    const once = oldStr.trim() !== '' && edit.oldStr.indexOf(oldStr) === edit.oldStr.lastIndexOf(oldStr);
    return wholeFile && once && (lead > 0 || trail > 0) ? { ...base, oldStr, newStr } : base;
  });
}

/** Finds the task whose problem statement the first user message carries. */
export function findTask(tasks: TaskInstance[], messages: Message[]): TaskInstance | null {
  const first = messages.find((m) => m.role === 'user');
  if (!first) return null;
  // Longest statement first, so a statement that contains another one wins.
  const candidates = [...tasks].sort((a, b) => b.problem_statement.length - a.problem_statement.length);
  return candidates.find((t) => first.content.includes(t.problem_statement.trim())) ?? null;
}

/** The commands the oracle runs; recognised in the history by exact text, so they must stay deterministic. */
export function oracleCommands(task: TaskInstance) {
  const wd = task.workdir;
  const testFiles = [...new Set(task.FAIL_TO_PASS.map((id) => id.split('::')[0]))];
  // The issue's tests come with the test_patch and are hidden from the agent: run the test files they
  // belong to where those exist at base (files the test_patch creates do not), else the whole suite.
  const created = new Set(parseDiff(task.test_patch).filter((f) => f.kind === 'add').map((f) => f.path));
  const existing = testFiles.filter((f) => !created.has(f));
  const pytest = /^(.*?pytest)\b/.exec(task.test_cmd)?.[1] ?? 'python3 -m pytest';
  return {
    // Against HEAD (the base commit: the agent's work is uncommitted), not the base commit's hash, which the
    // agent never sees: a student must be able to produce the teacher's labels from what it observed.
    inspect: `cd ${wd} && git add -A && git diff --cached --no-renames --name-status HEAD && echo '${INSPECT_MARKER}' && git diff --cached --no-renames --no-color HEAD`,
    test: `cd ${wd} && ${pytest} -q -p no:cacheprovider ${existing.join(' ')}`.trimEnd(),
    /** Where the function the issue shows misbehaving is defined (null when the fix is right there). */
    symptom: symptomCommand(task),
    locate: (edit: GoldEdit) => {
      const name = definitionName(edit.context);
      return name ? `grep -rn --include='*.py' '${name.kind} ${name.name}\\b' ${wd}` : `find ${wd} -name '*.py' -not -path '*/.git/*' | sort`;
    },
    repair: (revert: string[], remove: string[]) => {
      const steps = [`cd ${wd}`];
      if (revert.length > 0) steps.push(`git checkout HEAD -- ${revert.map(quote).join(' ')}`);
      if (remove.length > 0) steps.push(`git rm -q -f --ignore-unmatch -- ${remove.map(quote).join(' ')}`, `rm -f -- ${remove.map(quote).join(' ')}`);
      steps.push('git status --short');
      return steps.join(' && ');
    },
  };
}

/** Names the issue calls that are not Python built-ins, in order of appearance. */
const BUILTINS = new Set(['print', 'len', 'sorted', 'max', 'min', 'str', 'int', 'float', 'list', 'dict', 'set', 'repr', 'type', 'isinstance', 'range', 'open', 'sum', 'tuple', 'map']);

/**
 * An engineer reading an issue first looks at the function it shows misbehaving; when the bug lives
 * elsewhere (a helper in another module), that look is a real step of the search.
 */
function symptomCommand(task: TaskInstance): string | null {
  const fixed = new Set(goldEdits(task.patch).map((e) => definitionName(e.context)?.name));
  for (const m of task.problem_statement.matchAll(/(?<![\w.])([A-Za-z_]\w*)\(/g)) {
    const name = m[1];
    if (BUILTINS.has(name)) continue;
    if (fixed.has(name)) return null;
    return `grep -rnE --include='*.py' '^\\s*(def|class) ${name}\\b' ${task.workdir}`;
  }
  return null;
}

/** The first `path:line:` hit of a grep observation. */
function firstHit(observation: string): { path: string; line: number } | null {
  const m = /^(\/[^:\n]+\.py):(\d+):/m.exec(observation);
  return m ? { path: m[1], line: Number(m[2]) } : null;
}

function definitionName(context: string): { kind: string; name: string } | null {
  const m = /^\s*(def|class)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(context);
  return m ? { kind: m[1], name: m[2] } : null;
}

function quote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The history after the prompt, as (call, observation) pairs. */
function pastTurns(messages: Message[]): PastTurn[] {
  const firstUser = messages.findIndex((m) => m.role === 'user');
  const turns: PastTurn[] = [];
  for (let i = firstUser + 1; i < messages.length; i++) {
    const m = messages[i];
    if (m.role !== 'assistant') continue;
    const next = messages[i + 1];
    const answered = next && (next.role === 'tool' || next.role === 'user');
    turns.push({ call: m.toolCalls?.[0] ?? null, observation: answered ? next.content : '' });
  }
  return turns;
}

/** An editor observation that says the replacement happened (the tools' success wording). */
export function editApplied(observation: string): boolean {
  return /has been edited/i.test(observation) && !/^\s*(ERROR|Error:)/.test(observation);
}

function isEditorCall(call: ToolCall, command: string): boolean {
  return call.name === 'str_replace_editor' && call.arguments.command === command;
}

/** Reads the inspection output into the belief: which gold edits are in place, what to repair. */
function readInspection(task: TaskInstance, edits: GoldEdit[], observation: string): Pick<Belief, 'applied' | 'revert' | 'remove' | 'inspectionFailed'> {
  const at = observation.indexOf(INSPECT_MARKER);
  if (at < 0) return { applied: new Set(), revert: [], remove: [], inspectionFailed: true };
  const changed: { status: string; path: string }[] = [];
  for (const line of observation.slice(0, at).split('\n')) {
    const m = /^([ADMTUX])\t(.+)$/.exec(line.trim());
    if (m) changed.push({ status: m[1], path: m[2] });
  }
  const current = new Map(
    parseDiff(observation.slice(at + INSPECT_MARKER.length))
      .filter((f) => f.complete)
      .map((f) => [f.path, f.body]),
  );
  const gold = new Map(parseDiff(task.patch).map((f) => [f.path, f.body]));
  const applied = new Set<number>();
  const revert: string[] = [];
  const remove: string[] = [];
  for (const { status, path } of changed) {
    if (status === 'M' && gold.has(path) && current.get(path) === gold.get(path)) {
      edits.forEach((e, i) => e.path === path && applied.add(i));
    } else if (status === 'A') {
      remove.push(path);
    } else {
      // Modified differently (or partly), deleted, or its mode/type changed: back to base, then redo.
      revert.push(path);
    }
  }
  return { applied, revert, remove, inspectionFailed: false };
}

/** Replays the history into a belief about the workspace. */
function believe(task: TaskInstance, edits: OracleEdit[], turns: PastTurn[]): Belief {
  const cmds = oracleCommands(task);
  const readOnly = new Set([cmds.test, ...edits.map((e) => cmds.locate(e)), ...(cmds.symptom ? [cmds.symptom] : [])]);
  const belief: Belief = { known: true, applied: new Set(), revert: [], remove: [], inspectionFailed: false, lastChange: -1 };
  turns.forEach(({ call, observation }, t) => {
    if (!call) return; // malformed: nothing was executed
    if (call.name === 'think' || call.name === 'finish') return;
    if (call.name === 'execute_bash') {
      const command = call.arguments.command;
      if (command === cmds.inspect) {
        Object.assign(belief, readInspection(task, edits, observation), { known: true });
        return;
      }
      if (typeof command === 'string' && readOnly.has(command)) return;
      belief.known = false;
      belief.lastChange = t;
      return;
    }
    if (call.name === 'str_replace_editor') {
      if (isEditorCall(call, 'view')) return;
      const k = edits.findIndex((e) => isReplacement(task, call, e) || isReplacement(task, call, { path: e.path, ...e.hunk }));
      belief.lastChange = t;
      if (k >= 0 && belief.known && !belief.applied.has(k) && editApplied(observation)) {
        belief.applied.add(k);
        return;
      }
      belief.known = false;
      return;
    }
    // Unknown tools are refused by the environment: nothing happened.
  });
  return belief;
}

/** Is `call` exactly this str_replace on this file? */
function isReplacement(task: TaskInstance, call: ToolCall, edit: { path: string; oldStr: string; newStr: string }): boolean {
  return isEditorCall(call, 'str_replace') && call.arguments.path === absolute(task, edit.path) && call.arguments.old_str === edit.oldStr && call.arguments.new_str === edit.newStr;
}

function absolute(task: TaskInstance, file: string): string {
  return `${task.workdir.replace(/\/$/, '')}/${file}`;
}

/** The oracle's next action for this history (deterministic). */
export function oracleAction(tasks: TaskInstance[], messages: Message[]): Action {
  const task = findTask(tasks, messages);
  const turns = pastTurns(messages);
  const t = turns.length;
  const act = (content: string, name: string, args: Record<string, unknown>): Action => ({
    content,
    toolCalls: [{ id: `call_oracle_${t}`, name, arguments: args }],
  });
  if (!task) {
    // Not one of the bundled tasks: an oracle that does not know the answer must not pretend to.
    return act('I do not recognise this task, so I cannot solve it.', 'finish', { message: 'Unknown task: no solution available.' });
  }
  const edits = oracleEdits(task.patch);
  const cmds = oracleCommands(task);
  const belief = believe(task, edits, turns);
  const last = turns[t - 1]?.call ?? null;

  if (!belief.known) {
    return act('Other changes were made to the repository since I last looked. Let me check its state against the base commit before continuing.', 'execute_bash', {
      command: cmds.inspect,
    });
  }
  if (belief.inspectionFailed) {
    // The repository cannot be read (e.g. .git was removed): nothing reliable can be done from here.
    return act('The repository state cannot be inspected, so I cannot safely continue.', 'finish', { message: 'Stopped: the repository could not be inspected.' });
  }
  // A known belief with repairs means the last inspection found them and nothing ran since (a repair
  // command makes the belief unknown, so the next turn inspects again and sees its effect).
  if (belief.revert.length > 0 || belief.remove.length > 0) {
    const what = [
      belief.revert.length > 0 ? `restore ${belief.revert.join(', ')} to the base version` : '',
      belief.remove.length > 0 ? `delete the stray file(s) ${belief.remove.join(', ')}` : '',
    ].filter(Boolean);
    return act(`Some changes in the workspace are wrong or unrelated to the issue. I will ${what.join(' and ')} and redo the fix cleanly.`, 'execute_bash', {
      command: cmds.repair(belief.revert, belief.remove),
    });
  }

  const pending = edits.findIndex((_, i) => !belief.applied.has(i));
  if (pending >= 0 && belief.applied.size === 0 && cmds.symptom) {
    // Reading the misbehaving function first (only before any fix is in: afterwards it would be a detour).
    const searched = turns.find((p) => p.call?.arguments.command === cmds.symptom);
    if (!searched) {
      return act('Let me find the function the issue is about.', 'execute_bash', { command: cmds.symptom });
    }
    const hit = firstHit(searched.observation);
    const viewed = turns.some((p) => p.call && isEditorCall(p.call, 'view') && p.call.arguments.path === hit?.path);
    if (hit && !viewed && !edits.some((e) => absolute(task, e.path) === hit.path)) {
      return act(`Let me read how it works.`, 'str_replace_editor', { command: 'view', path: hit.path, view_range: [hit.line, -1] });
    }
  }
  if (pending >= 0) {
    const edit = edits[pending];
    const file = absolute(task, edit.path);
    const firstOfFile = edits.findIndex((e) => e.path === edit.path) === pending;
    const located = turns.some((p) => p.call?.arguments.command === cmds.locate(edit) || (p.call && isEditorCall(p.call, 'view') && p.call.arguments.path === file));
    if (firstOfFile && !located) {
      const name = definitionName(edit.context);
      return act(name ? `Let me find where \`${name.name}\` is defined.` : 'Let me look at the repository layout to find the relevant code.', 'execute_bash', {
        command: cmds.locate(edit),
      });
    }
    if (!(last && isEditorCall(last, 'view') && last.arguments.path === file)) {
      // Exactly the hunk's lines (its context included): always inside the file, even at its end.
      return act(`Let me view the relevant part of ${edit.path}.`, 'str_replace_editor', {
        command: 'view',
        path: file,
        view_range: [edit.line, edit.line + edit.span - 1],
      });
    }
    // The short form once; if it ever failed (the file was not what the patch assumed), the whole hunk.
    const tried = turns.some((p) => p.call && isReplacement(task, p.call, edit) && !editApplied(p.observation));
    const { oldStr, newStr } = tried ? edit.hunk : edit;
    return act(`This is where the bug is; I will fix it here.`, 'str_replace_editor', { command: 'str_replace', path: file, old_str: oldStr, new_str: newStr });
  }

  const testedAt = turns.map((p) => p.call?.arguments.command).lastIndexOf(cmds.test);
  if (testedAt <= belief.lastChange) {
    return act('The fix is in place. Let me run the tests to make sure nothing is broken.', 'execute_bash', { command: cmds.test });
  }
  // Only what the agent has seen (the issue), so that a student can learn the label.
  return act('The fix is complete and the tests pass.', 'finish', { message: `Fixed: ${task.problem_statement.trim().split('\n')[0]}` });
}

/** The oracle as a served policy. */
export function oraclePolicy(tasks: TaskInstance[]): Policy {
  return (request) => toReply(oracleAction(tasks, request.messages));
}
