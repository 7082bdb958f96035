/**
 * Builds the lookup suite (see family.ts for the task design) in swe-mini's format: `repos/<id>/` (the files
 * at base_commit), `instances.jsonl`, `splits/{train,heldout}.txt`. base_commit is computed with the
 * workspace's own deterministic recipe; the gold `patch` is the diff base → fixed (two modules), the
 * `test_patch` appends the two broken commands' tests. FAIL_TO_PASS are those tests, PASS_TO_PASS the working
 * command's (by construction: family.ts checks that each bug changes the tested value; test/lookup-suite.test.ts
 * checks it in Docker). Refuses a patch the oracle could not replay as unique str_replace edits.
 *
 * Usage: node --import tsx tasks/lookup/build.ts [--check]   (--check: fail if the outputs would change)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUNDLED_IMAGE } from '../../env/swe/instances';
import { goldEdits } from '../../env/swe/patches';
import { diffRepos } from '../../env/swe/generated-repos';
import { baseCommitScript, readRepoFiles } from '../../env/swe/workspace';
import { makeTasks, splitOf, SUITE_COUNT, SUITE_SEED, type LookupTask } from './family';

const SUITE = __dirname;
const TEST_CMD = 'python3 -m pytest -rA -v -p no:cacheprovider tests';
const TEST_FILE = 'tests/test_api.py';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function writeModules(dir: string, sources: Record<string, string>) {
  for (const [module, text] of Object.entries(sources)) writeFileSync(path.join(dir, `${module}.py`), text);
}

function buildInstance(task: LookupTask, repoOut: string) {
  const work = mkdtempSync(path.join(tmpdir(), `lookup-${task.instanceId}-`));
  try {
    mkdirSync(path.join(work, 'tests'));
    writeModules(work, task.buggy);
    writeFileSync(path.join(work, 'api.py'), task.api);
    writeFileSync(path.join(work, TEST_FILE), task.baseTests);
    const base = execFileSync('bash', ['-c', baseCommitScript()], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop() as string;
    rmSync(repoOut, { recursive: true, force: true });
    for (const f of readRepoFiles(work)) {
      mkdirSync(path.dirname(path.join(repoOut, f.path)), { recursive: true });
      writeFileSync(path.join(repoOut, f.path), f.content, { mode: f.mode });
    }

    writeModules(work, task.fixed);
    const patch = git(work, 'diff', '--no-color');
    git(work, 'checkout', '-q', '--', '.');
    const edits = goldEdits(patch);
    if (edits.map((e) => e.path).join(' ') !== task.broken.map((c) => `${c.module}.py`).join(' ')) {
      throw new Error(`${task.instanceId}: the gold hunks are not one per broken module in fix order (${edits.map((e) => e.path).join(', ')})`);
    }
    for (const [i, edit] of edits.entries()) {
      const source = task.buggy[task.broken[i].module];
      const at = source.indexOf(edit.oldStr);
      if (at < 0 || source.indexOf(edit.oldStr, at + 1) >= 0) throw new Error(`${task.instanceId}: gold hunk is not a unique str_replace in ${edit.path}`);
      if (source.slice(0, at) + edit.newStr + source.slice(at + edit.oldStr.length) !== task.fixed[task.broken[i].module]) {
        throw new Error(`${task.instanceId}: replaying the gold hunk does not give the fixed ${edit.path}`);
      }
    }

    writeFileSync(path.join(work, TEST_FILE), `${task.baseTests}\n\n${task.issueTests}`);
    const testPatch = git(work, 'diff', '--no-color');
    const ids = (src: string) => [...src.matchAll(/^def (test_\w+)/gm)].map((m) => `${TEST_FILE}::${m[1]}`);
    return {
      instance_id: task.instanceId,
      repo: 'lookup/api',
      base_commit: base,
      problem_statement: task.problemStatement,
      hints_text: '',
      created_at: '2026-01-01T00:00:00Z',
      version: '1.0',
      patch,
      test_patch: testPatch,
      FAIL_TO_PASS: ids(task.issueTests),
      PASS_TO_PASS: ids(task.baseTests),
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
  const tasks = makeTasks(SUITE_SEED, SUITE_COUNT);
  // --check builds the repositories into a scratch folder and compares them with the committed ones.
  const reposRoot = check ? mkdtempSync(path.join(tmpdir(), 'lookup-repos-')) : path.join(SUITE, 'repos');
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
      if (!existsSync(file) || readFileSync(file, 'utf8') !== text) throw new Error(`${file} is out of date: run node --import tsx tasks/lookup/build.ts`);
    }
    const stale = diffRepos(path.join(SUITE, 'repos'), reposRoot);
    rmSync(reposRoot, { recursive: true, force: true });
    if (stale.length) throw new Error(`tasks/lookup/repos is out of date (${stale.slice(0, 5).join('; ')}${stale.length > 5 ? '; …' : ''}): run node --import tsx tasks/lookup/build.ts`);
    process.stdout.write(`lookup suite is up to date (${rows.length} instances)\n`);
    return;
  }
  mkdirSync(path.join(SUITE, 'splits'), { recursive: true });
  for (const [file, text] of outputs) writeFileSync(file, text);
  process.stdout.write(`wrote ${rows.length} instances (${splits.train.length} train, ${splits.heldout.length} heldout) to ${SUITE}\n`);
}

main();
