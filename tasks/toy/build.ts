/**
 * Builds the toy suite (see family.ts for the task design) in swe-mini's format: `repos/<id>/` (the files
 * at base_commit), `instances.jsonl`, `splits/{train,heldout}.txt`. base_commit is computed with the
 * workspace's own deterministic recipe; the gold `patch` is the diff base → fixed, the `test_patch`
 * appends the issue's test. FAIL_TO_PASS is that test, PASS_TO_PASS the base tests (by construction:
 * family.ts checks that the bug changes the tested value; test/toy-suite.test.ts checks it in Docker).
 * Refuses a patch the oracle could not replay as unique str_replace edits.
 *
 * Usage: node --import tsx tasks/toy/build.ts [--check]   (--check: fail if the outputs would change)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUNDLED_IMAGE } from '../../env/swe/instances';
import { goldEdits } from '../../env/swe/patches';
import { diffRepos } from '../../env/swe/generated-repos';
import { baseCommitScript, readRepoFiles } from '../../env/swe/workspace';
import { makeTasks, splitOf, type ToyTask } from './family';

const SUITE = __dirname;
const SEED = 20260524;
/** Instances; every fifth is held out (splitOf). */
const COUNT = 500;
const TEST_CMD = 'python3 -m pytest -rA -v -p no:cacheprovider tests';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function buildInstance(task: ToyTask, repoOut: string) {
  const work = mkdtempSync(path.join(tmpdir(), `toy-${task.instanceId}-`));
  try {
    const moduleFile = `${task.module}.py`;
    const testFile = `tests/test_${task.module}.py`;
    mkdirSync(path.join(work, 'tests'));
    writeFileSync(path.join(work, moduleFile), task.buggySource);
    writeFileSync(path.join(work, testFile), task.baseTests);
    const base = execFileSync('bash', ['-c', baseCommitScript()], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop() as string;
    rmSync(repoOut, { recursive: true, force: true });
    for (const f of readRepoFiles(work)) {
      mkdirSync(path.dirname(path.join(repoOut, f.path)), { recursive: true });
      writeFileSync(path.join(repoOut, f.path), f.content, { mode: f.mode });
    }

    writeFileSync(path.join(work, moduleFile), task.fixedSource);
    const patch = git(work, 'diff', '--no-color');
    git(work, 'checkout', '-q', '--', '.');
    let replayed = task.buggySource;
    for (const edit of goldEdits(patch)) {
      const at = replayed.indexOf(edit.oldStr);
      if (at < 0 || replayed.indexOf(edit.oldStr, at + 1) >= 0) throw new Error(`${task.instanceId}: gold hunk is not a unique str_replace in ${edit.path}`);
      replayed = replayed.slice(0, at) + edit.newStr + replayed.slice(at + edit.oldStr.length);
    }
    if (replayed !== task.fixedSource) throw new Error(`${task.instanceId}: replaying the gold hunks does not give the fixed module`);

    writeFileSync(path.join(work, testFile), `${task.baseTests}\n\n${task.issueTest}`);
    const testPatch = git(work, 'diff', '--no-color');
    const ids = (src: string) => [...src.matchAll(/^def (test_\w+)/gm)].map((m) => `${testFile}::${m[1]}`);
    return {
      instance_id: task.instanceId,
      repo: `toy/${task.module}`,
      base_commit: base,
      problem_statement: task.problemStatement,
      hints_text: '',
      created_at: '2026-01-01T00:00:00Z',
      version: '1.0',
      patch,
      test_patch: testPatch,
      FAIL_TO_PASS: ids(task.issueTest),
      PASS_TO_PASS: ids(task.baseTests).sort(),
      image: BUNDLED_IMAGE,
      workdir: '/testbed',
      test_cmd: TEST_CMD,
      log_parser: 'pytest',
      repo_dir: `repos/${task.instanceId}`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const check = process.argv.includes('--check');
  const tasks = makeTasks(SEED, COUNT);
  // --check builds the repositories into a scratch folder and compares them with the committed ones.
  const reposRoot = check ? mkdtempSync(path.join(tmpdir(), 'toy-repos-')) : path.join(SUITE, 'repos');
  if (!check) rmSync(reposRoot, { recursive: true, force: true });
  const rows = tasks.map((t) => buildInstance(t, path.join(reposRoot, t.instanceId)));
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const splits = {
    train: rows.filter((_, i) => splitOf(i) === 'train').map((r) => r.instance_id),
    heldout: rows.filter((_, i) => splitOf(i) === 'heldout').map((r) => r.instance_id),
  };
  const outputs: [string, string][] = [
    [path.join(SUITE, 'instances.jsonl'), jsonl],
    [path.join(SUITE, 'splits', 'train.txt'), splits.train.join('\n') + '\n'],
    [path.join(SUITE, 'splits', 'heldout.txt'), splits.heldout.join('\n') + '\n'],
  ];
  if (check) {
    for (const [file, text] of outputs) {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== text) throw new Error(`${file} is out of date: run node --import tsx tasks/toy/build.ts`);
    }
    const stale = diffRepos(path.join(SUITE, 'repos'), reposRoot);
    rmSync(reposRoot, { recursive: true, force: true });
    if (stale.length) throw new Error(`tasks/toy/repos is out of date (${stale.slice(0, 5).join('; ')}${stale.length > 5 ? '; …' : ''}): run node --import tsx tasks/toy/build.ts`);
    process.stdout.write(`toy suite is up to date (${rows.length} instances)\n`);
    return;
  }
  mkdirSync(path.join(SUITE, 'splits'), { recursive: true });
  for (const [file, text] of outputs) writeFileSync(file, text);
  process.stdout.write(`wrote ${rows.length} instances (${splits.train.length} train, ${splits.heldout.length} heldout) to ${SUITE}\n`);
}

main();
