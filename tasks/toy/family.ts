/**
 * The toy task family: pure, seeded generation of tiny bug-fix tasks that a from-scratch student of ~1M
 * parameters can learn on a CPU, in the same SWE format, tools and sandbox as swe-mini.
 *
 * A repository is one module of FUNCTIONS one-line functions (`def add(a, b): return a + b`) and a test
 * file that tests the correct ones. One has a wrong operator or constant; the issue names the function,
 * an example call with its expected value, and the wrong and right token (as words: see makeTask). A module this short is within
 * the diff's context (3 lines each side), so the gold hunk is always the whole module and the oracle's
 * episode always has the same shape: grep the function, list the files, view the module's lines,
 * str_replace the module, run the tests, finish. What varies (module, functions, order, bug, values) must be read from
 * the issue and the observations, so the student cannot succeed by replaying one fixed script.
 */
import { uniformInt, shuffled } from '../../core/random';

export const MODULES = ['calc', 'ops', 'arith', 'mathx'] as const;

/**
 * Functions per module. Two, not four: the str_replace's old_str is the whole module as the view showed it
 * (line numbers stripped), and a tiny student from scratch learns to copy two lines far sooner than four
 * (docs/toy-tasks.md, "Learnability").
 */
export const FUNCTIONS = 2;

/** One function of the pool: `def NAME(PARAMS): return LEFT OP RIGHT`. */
interface FunctionSpec {
  name: string;
  params: string[];
  left: string;
  op: string;
  right: string;
}

const binary = (name: string, op: string): FunctionSpec => ({ name, params: ['a', 'b'], left: 'a', op, right: 'b' });
const unary = (name: string, op: string, right: string): FunctionSpec => ({ name, params: ['x'], left: 'x', op, right });

export const POOL: readonly FunctionSpec[] = [
  binary('add', '+'),
  binary('sub', '-'),
  binary('mul', '*'),
  binary('div', '/'),
  binary('quot', '//'),
  binary('rem', '%'),
  binary('power', '**'),
  unary('double', '*', '2'),
  unary('triple', '*', '3'),
  unary('half', '/', '2'),
  unary('inc', '+', '1'),
  unary('dec', '-', '1'),
  unary('square', '*', 'x'),
  unary('tenfold', '*', '10'),
];

/** Operators a bug may put in place of the right one, and constants in place of the right constant. */
const WRONG_OPS = ['+', '-', '*', '//', '%'];
const WRONG_CONSTS = ['1', '2', '3', '4', '10'];

/** Python's value of `l op r` for the small non-negative numbers used here. */
export function pyEval(l: number, op: string, r: number): number {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return l / r;
    case '//': return Math.floor(l / r);
    case '%': return l - r * Math.floor(l / r);
    case '**': return l ** r;
    default: throw new Error(`pyEval: unknown operator ${op}`);
  }
}

export function sourceLine(f: FunctionSpec): string {
  return `def ${f.name}(${f.params.join(', ')}): return ${f.left} ${f.op} ${f.right}`;
}

/** Arguments for a test call whose right value is exact in decimal (so `==` in the test is safe). */
function testArgs(f: FunctionSpec, key: (string | number)[]): number[] {
  if (f.params.length === 1) return [uniformInt([...key, 'x'], 3, 9)];
  const a = uniformInt([...key, 'a'], 5, 9);
  const b = f.op === '/' ? [2, 4][uniformInt([...key, 'b'], 0, 1)] : f.op === '**' ? uniformInt([...key, 'b'], 2, 3) : uniformInt([...key, 'b'], 2, 4);
  return [a, b];
}

function value(f: FunctionSpec, args: number[]): number {
  const env: Record<string, number> = Object.fromEntries(f.params.map((p, i) => [p, args[i]]));
  const operand = (s: string) => (s in env ? env[s] : Number(s));
  return pyEval(operand(f.left), f.op, operand(f.right));
}

function call(f: FunctionSpec, args: number[]): string {
  return `${f.name}(${args.join(', ')})`;
}

export interface ToyTask {
  instanceId: string;
  module: string;
  /** The module's text at base (bug in) and fixed (gold). */
  buggySource: string;
  fixedSource: string;
  /** The test file at base (tests of the correct functions) and the test the test_patch appends. */
  baseTests: string;
  issueTest: string;
  problemStatement: string;
}

/** The task of instance `index` (deterministic in seed and index; `attempt` redraws on a collision). */
export function makeTask(seed: number, index: number, attempt = 0): ToyTask {
  const key = ['toy', seed, index, attempt];
  const module = MODULES[uniformInt([...key, 'module'], 0, MODULES.length - 1)];
  const functions = shuffled(POOL, [...key, 'pool']).slice(0, FUNCTIONS);
  const buggyAt = uniformInt([...key, 'bug-at'], 0, FUNCTIONS - 1);
  const target = functions[buggyAt];
  const args = testArgs(target, [...key, 'args']);
  const want = value(target, args);
  // The bug: a wrong operator, or (where there is one) a wrong constant; it must change the tested value.
  const constant = /^\d+$/.test(target.right);
  const candidates: FunctionSpec[] = [
    ...WRONG_OPS.filter((op) => op !== target.op).map((op) => ({ ...target, op })),
    ...(constant ? WRONG_CONSTS.filter((c) => c !== target.right).map((right) => ({ ...target, right })) : []),
  ].filter((b) => value(b, args) !== want && Number.isFinite(value(b, args)));
  const bug = candidates[uniformInt([...key, 'bug'], 0, candidates.length - 1)];
  const [bad, good] = bug.op !== target.op ? [bug.op, target.op] : [bug.right, target.right];

  const lines = (fs: FunctionSpec[]) => fs.map(sourceLine).join('\n') + '\n';
  const testOf = (f: FunctionSpec, a: number[]) => `def test_${f.name}():\n    assert ${module}.${call(f, a)} == ${value(f, a)}\n`;
  const others = functions.filter((_, i) => i !== buggyAt);
  return {
    instanceId: `toy__${module}-${String(index + 1).padStart(3, '0')}`,
    module,
    buggySource: lines(functions.map((f, i) => (i === buggyAt ? bug : f))),
    fixedSource: lines(functions),
    baseTests: `import ${module}\n\n\n` + others.map((f, i) => testOf(f, testArgs(f, [...key, 'p2p', i]))).join('\n\n'),
    issueTest: testOf(target, args),
    // Identifiers and tokens are written as words (` power`, ` %`), the way they appear in the grep pattern and
    // in the source line, so that the student's byte-level BPE gives them the same token ids there: copying is
    // then attending and repeating, not also translating `power` after a backtick into ` power`.
    problemStatement: `The function ${target.name} returns a wrong value\n\n\`${call(target, args)}\` should return ${want}. In ${module}.py it uses ${bad} where it should use ${good}\n`,
  };
}

/**
 * The suite's tasks: `count` instances with distinct issues (the oracle finds a task by its issue text,
 * so no issue may contain another).
 */
export function makeTasks(seed: number, count: number): ToyTask[] {
  const tasks: ToyTask[] = [];
  const statements = new Set<string>();
  for (let index = 0; index < count; index++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 100) throw new Error(`toy family: no distinct issue for instance ${index} after 100 draws; widen POOL or MODULES`);
      const task = makeTask(seed, index, attempt);
      const s = task.problemStatement.trim();
      if ([...statements].some((o) => o.includes(s) || s.includes(o))) continue;
      statements.add(s);
      tasks.push(task);
      break;
    }
  }
  return tasks;
}

/** The split rule: every fifth instance is held out. */
export function splitOf(index: number): 'train' | 'heldout' {
  return index % 5 === 4 ? 'heldout' : 'train';
}
