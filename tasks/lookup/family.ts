/**
 * The lookup task family: search-then-edit tasks where a student's early mistakes are frequent and
 * recoverable, the teacher never makes them, and they compound over a 9-turn episode (docs/lookup-tasks.md).
 *
 * A repository has three sibling modules (`calc.py`, `ops.py`, …) that define the SAME two one-line functions,
 * and `api.py`, whose one-line commands (`def shrink(x): return ops.half(x)`) each call one module's function.
 * Two commands misbehave; their bugs sit in two different modules. The issue names the two commands, an example
 * call each with its expected value and the wrong and right token, but never the module: which sibling holds
 * each bug has to be looked up in `api.py`. Opening a sibling instead, or editing the same-named function
 * there, is the typical mistake: a state the oracle never visits, from which looking again (view the right
 * module, undo a wrong edit) repairs the episode.
 *
 * The oracle's episode (policies/oracle.ts, unchanged for this family): grep the first command → view `api.py`
 * from it (both commands are there) → list the files → view the first module → fix it → view the second
 * module → fix it → run the tests → finish. The modules are fixed in path order, so the first command of the
 * issue is the one whose module comes first and its line in `api.py` comes before the second's: every
 * argument of the oracle's episode is then copied from the issue or an earlier observation.
 */
import { shuffled, uniformInt } from '../../core/random';
import { POOL, pyEval, sourceLine } from '../toy/family';

/** Sibling modules: similar names of the same kind, three per repository. */
export const MODULES = ['arith', 'calc', 'mathx', 'ops'] as const;
export const SIBLINGS = 3;
/** Functions every sibling module defines. */
export const FUNCTIONS = 2;
/** Commands in api.py: the two broken ones and one that works (its test is the PASS_TO_PASS). */
export const COMMANDS = 3;

/** Command names: plain verbs unrelated to the functions they call, so the mapping must be looked up. */
export const COMMAND_NAMES = ['shrink', 'wrap', 'scale', 'blend', 'merge', 'fold', 'shift', 'stretch', 'trim', 'bump', 'spread', 'pack', 'tally', 'boost'] as const;

type FunctionSpec = (typeof POOL)[number];

const WRONG_OPS = ['+', '-', '*', '//', '%'];
const WRONG_CONSTS = ['1', '2', '3', '4', '10'];

function value(f: FunctionSpec, args: number[]): number {
  const env: Record<string, number> = Object.fromEntries(f.params.map((p, i) => [p, args[i]]));
  const operand = (s: string) => (s in env ? env[s] : Number(s));
  return pyEval(operand(f.left), f.op, operand(f.right));
}

/** Arguments whose right value is exact in decimal (so `==` in the test is safe). */
function testArgs(f: FunctionSpec, key: (string | number)[]): number[] {
  if (f.params.length === 1) return [uniformInt([...key, 'x'], 3, 9)];
  const a = uniformInt([...key, 'a'], 5, 9);
  const b = f.op === '/' ? [2, 4][uniformInt([...key, 'b'], 0, 1)] : f.op === '**' ? uniformInt([...key, 'b'], 2, 3) : uniformInt([...key, 'b'], 2, 4);
  return [a, b];
}

/** A wrong operator or (where there is one) a wrong constant that changes the value at `args`. */
function drawBug(f: FunctionSpec, args: number[], key: (string | number)[]): { spec: FunctionSpec; bad: string; good: string } {
  const want = value(f, args);
  const constant = /^\d+$/.test(f.right);
  const candidates: FunctionSpec[] = [
    ...WRONG_OPS.filter((op) => op !== f.op).map((op) => ({ ...f, op })),
    ...(constant ? WRONG_CONSTS.filter((c) => c !== f.right).map((right) => ({ ...f, right })) : []),
  ].filter((b) => value(b, args) !== want && Number.isFinite(value(b, args)));
  const spec = candidates[uniformInt([...key, 'bug'], 0, candidates.length - 1)];
  return spec.op !== f.op ? { spec, bad: spec.op, good: f.op } : { spec, bad: spec.right, good: f.right };
}

export interface Command {
  name: string;
  module: string;
  fn: FunctionSpec;
  args: number[];
}

export interface LookupTask {
  instanceId: string;
  /** Module name → its source at base (bugs in) and fixed (gold). */
  buggy: Record<string, string>;
  fixed: Record<string, string>;
  api: string;
  /** The two broken commands, in the order the oracle fixes them (their modules' path order). */
  broken: (Command & { bad: string; good: string; buggyLine: string; fixedLine: string })[];
  working: Command;
  baseTests: string;
  issueTests: string;
  problemStatement: string;
}

const call = (c: Command) => `${c.name}(${c.args.join(', ')})`;
const testOf = (c: Command) => `def test_${c.name}():\n    assert api.${call(c)} == ${value(c.fn, c.args)}\n`;
const commandLine = (c: Command) => `def ${c.name}(${c.fn.params.join(', ')}): return ${c.module}.${c.fn.name}(${c.fn.params.join(', ')})`;

/** The task of instance `index` (deterministic in seed and index; `attempt` redraws on a collision). */
export function makeTask(seed: number, index: number, attempt = 0): LookupTask {
  const key = ['lookup', seed, index, attempt];
  const modules = shuffled(MODULES, [...key, 'modules']).slice(0, SIBLINGS);
  const functions = shuffled(POOL, [...key, 'pool']).slice(0, FUNCTIONS);
  const names = shuffled(COMMAND_NAMES, [...key, 'names']).slice(0, COMMANDS);
  // Two broken modules, fixed in path order; the third sibling backs the working command.
  const [first, second] = modules.slice(0, 2).sort();
  const pick = (k: string) => functions[uniformInt([...key, k], 0, FUNCTIONS - 1)];
  const broken = [first, second].map((module, i) => {
    const c: Command = { name: names[i], module, fn: pick(`fn-${i}`), args: [] };
    c.args = testArgs(c.fn, [...key, 'args', i]);
    const bug = drawBug(c.fn, c.args, [...key, 'bug', i]);
    return { ...c, bad: bug.bad, good: bug.good, buggyLine: sourceLine(bug.spec), fixedLine: sourceLine(c.fn) };
  });
  const working: Command = { name: names[2], module: modules[2], fn: pick('fn-working'), args: [] };
  working.args = testArgs(working.fn, [...key, 'args', 'working']);

  const fixed: Record<string, string> = {};
  const buggy: Record<string, string> = {};
  for (const module of modules) {
    const lines = shuffled(functions, [...key, 'order', module]).map(sourceLine);
    fixed[module] = lines.join('\n') + '\n';
    const b = broken.find((c) => c.module === module);
    buggy[module] = lines.map((l) => (b && l === b.fixedLine ? b.buggyLine : l)).join('\n') + '\n';
  }
  // The working command goes anywhere; the first broken one always before the second, so the oracle's view of
  // api.py from the first command's line shows both.
  const order: Command[] = [broken[0], broken[1]];
  order.splice(uniformInt([...key, 'working-at'], 0, 2), 0, working);
  const api = `import ${[...modules].sort().join(', ')}\n\n` + order.map(commandLine).join('\n') + '\n';

  return {
    instanceId: `lookup__api-${String(index + 1).padStart(3, '0')}`,
    buggy,
    fixed,
    api,
    broken,
    working,
    baseTests: `import api\n\n\n${testOf(working)}`,
    issueTests: broken.map(testOf).join('\n\n'),
    // Commands, values and tokens are written as words (` shrink`, ` +`), the way they appear in the grep
    // pattern and in the source lines, so the student's tokenizer gives them the same ids there.
    problemStatement:
      `Two commands return wrong values\n\n` +
      broken.map((c) => `\`${call(c)}\` should return ${value(c.fn, c.args)}. It uses ${c.bad} where it should use ${c.good}\n`).join(''),
  };
}

/** The suite's tasks: `count` instances whose issues are distinct and contain no other (the oracle finds a task by its issue). */
export function makeTasks(seed: number, count: number): LookupTask[] {
  const tasks: LookupTask[] = [];
  const statements: string[] = [];
  for (let index = 0; index < count; index++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 100) throw new Error(`lookup family: no distinct issue for instance ${index} after 100 draws; widen COMMAND_NAMES or MODULES`);
      const task = makeTask(seed, index, attempt);
      const s = task.problemStatement.trim();
      if (statements.some((o) => o.includes(s) || s.includes(o))) continue;
      statements.push(s);
      tasks.push(task);
      break;
    }
  }
  return tasks;
}

/** The bundled suite: its seed and size (tasks/lookup/build.ts writes it, the study tools regenerate it). */
export const SUITE_SEED = 20261129;
export const SUITE_COUNT = 500;

/** The split rule: every fifth instance is held out. */
export function splitOf(index: number): 'train' | 'heldout' {
  return index % 5 === 4 ? 'heldout' : 'train';
}
