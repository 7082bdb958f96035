/**
 * Builds the swe-mini suite from its sources: `projects/<name>/` (a small, correct Python repository with
 * its tests) and `bugs/<instance>.yaml` (one real bug to inject, the issue that reports it, and the tests
 * that catch it). Like SWE-bench, several instances share a repository at different "commits".
 *
 * For each bug: base = project with the bug injected (each `fixed` snippet replaced by its `buggy` one);
 * the gold `patch` is the diff base → project; the `test_patch` adds the bug's tests. The base files go to
 * `repos/<instance_id>/`, the base commit sha is computed with the same recipe the workspace uses, and
 * FAIL_TO_PASS / PASS_TO_PASS are derived by running pytest (host python3) as SWE-bench derives them:
 * F2P fail at base + test_patch and pass at gold + test_patch; P2P pass in both. The build refuses a bug
 * that the base's own tests already catch, whose gold tests do not all pass, or whose patch the oracle
 * could not replay as unique str_replace edits.
 *
 * Usage: node --import tsx tasks/swe-mini/build.ts [--check]   (--check: fail if the outputs would change)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BUNDLED_IMAGE } from '../../env/swe/instances';
import { parsePytestLog } from '../../env/swe/parsers';
import { baseCommitScript, readRepoFiles } from '../../env/swe/workspace';
import { goldEdits } from '../../env/swe/patches';
import { diffRepos } from '../../env/swe/generated-repos';

const SUITE = __dirname;
const TEST_CMD = 'python3 -m pytest -rA -v -p no:cacheprovider tests';

const bugSchema = z.strictObject({
  project: z.string(),
  created_at: z.string(),
  problem_statement: z.string().min(40),
  hints_text: z.string().optional(),
  bug: z.array(z.strictObject({ path: z.string(), fixed: z.string().min(1), buggy: z.string() })).min(1),
  tests: z.array(z.strictObject({ path: z.string(), append: z.string().min(1) })).min(1),
});
type BugSpec = z.infer<typeof bugSchema>;

function replaceOnce(text: string, find: string, by: string, where: string): string {
  const first = text.indexOf(find);
  if (first < 0) throw new Error(`${where}: snippet not found:\n${find}`);
  if (text.indexOf(find, first + 1) >= 0) throw new Error(`${where}: snippet occurs more than once:\n${find}`);
  return text.slice(0, first) + by + text.slice(first + find.length);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function runPytest(dir: string): { statusMap: Record<string, string>; exitCode: number | null; log: string } {
  const result = spawnSync('bash', ['-c', TEST_CMD], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const log = result.stdout + result.stderr;
  return { statusMap: parsePytestLog(log).statusMap, exitCode: result.status, log };
}

function applyTests(dir: string, spec: BugSpec) {
  for (const t of spec.tests) {
    const file = path.join(dir, t.path);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, before + (before === '' || before.endsWith('\n\n') ? '' : '\n\n') + t.append);
  }
}

function buildInstance(instanceId: string, spec: BugSpec, reposRoot: string) {
  const where = `bugs/${instanceId}.yaml`;
  const projectDir = path.join(SUITE, 'projects', spec.project);
  if (!existsSync(projectDir)) throw new Error(`${where}: project "${spec.project}" has no directory ${projectDir}`);
  const work = mkdtempSync(path.join(tmpdir(), `swe-mini-${instanceId}-`));
  try {
    // Base tree: the project with the bug injected.
    const repo = path.join(work, 'repo');
    cpSync(projectDir, repo, { recursive: true, filter: (src) => !/__pycache__|\.pytest_cache|\.pyc$/.test(src) });
    for (const edit of spec.bug) {
      const file = path.join(repo, edit.path);
      writeFileSync(file, replaceOnce(readFileSync(file, 'utf8'), edit.fixed, edit.buggy, `${where} (${edit.path})`));
    }
    const base = execFileSync('bash', ['-c', baseCommitScript()], { cwd: repo, encoding: 'utf8' }).trim().split('\n').pop() as string;
    const repoOut = path.join(reposRoot, instanceId);
    rmSync(repoOut, { recursive: true, force: true });
    mkdirSync(repoOut, { recursive: true });
    for (const f of readRepoFiles(repo)) {
      mkdirSync(path.dirname(path.join(repoOut, f.path)), { recursive: true });
      writeFileSync(path.join(repoOut, f.path), f.content, { mode: f.mode });
    }

    const baseOnly = runPytest(repo);
    const caught = Object.entries(baseOnly.statusMap).filter(([, s]) => s !== 'PASSED');
    if (caught.length > 0 || baseOnly.exitCode !== 0) {
      throw new Error(`${where}: the base's own tests already fail (${caught.map(([id]) => id).join(', ') || `exit ${baseOnly.exitCode}`}); move them into tests:\n${baseOnly.log.slice(-3000)}`);
    }

    // Gold patch: base → project.
    for (const edit of spec.bug) cpSync(path.join(projectDir, edit.path), path.join(repo, edit.path));
    const patch = git(repo, 'diff', '--no-color');
    const goldFiles = new Map(spec.bug.map((e) => [e.path, readFileSync(path.join(projectDir, e.path), 'utf8')]));
    git(repo, 'checkout', '-q', '--', '.');

    // The oracle replays the patch hunk by hunk as str_replace edits; each must match exactly once.
    const replayed = new Map<string, string>();
    for (const edit of goldEdits(patch)) {
      const current = replayed.get(edit.path) ?? readFileSync(path.join(repo, edit.path), 'utf8');
      replayed.set(edit.path, replaceOnce(current, edit.oldStr, edit.newStr, `${where}: oracle replay of ${edit.path}`));
    }
    for (const [file, text] of goldFiles) {
      if (replayed.get(file) !== text) throw new Error(`${where}: replaying the gold hunks on ${file} does not give the fixed file`);
    }

    applyTests(repo, spec);
    const testPatch = git(repo, 'diff', '--no-color');
    const atBase = runPytest(repo);
    for (const [file, text] of goldFiles) writeFileSync(path.join(repo, file), text);
    const atGold = runPytest(repo);
    const failingAtGold = Object.entries(atGold.statusMap).filter(([, s]) => s !== 'PASSED');
    if (failingAtGold.length > 0 || atGold.exitCode !== 0) {
      throw new Error(`${where}: tests fail with the gold patch: ${failingAtGold.map(([id]) => id).join(', ')}\n${atGold.log.slice(-3000)}`);
    }
    const ids = Object.keys(atGold.statusMap).sort();
    const FAIL_TO_PASS = ids.filter((id) => atBase.statusMap[id] !== 'PASSED');
    const PASS_TO_PASS = ids.filter((id) => atBase.statusMap[id] === 'PASSED');
    if (FAIL_TO_PASS.length === 0) throw new Error(`${where}: no test fails at base with the test_patch: the tests do not catch the bug`);

    return {
      instance_id: instanceId,
      repo: `swe-mini/${spec.project}`,
      base_commit: base,
      problem_statement: spec.problem_statement.trimEnd() + '\n',
      hints_text: spec.hints_text ?? '',
      created_at: spec.created_at,
      version: '1.0',
      patch,
      test_patch: testPatch,
      FAIL_TO_PASS,
      PASS_TO_PASS,
      image: BUNDLED_IMAGE,
      workdir: '/testbed',
      test_cmd: TEST_CMD,
      log_parser: 'pytest',
      repo_dir: `repos/${instanceId}`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const check = process.argv.includes('--check');
  const bugsDir = path.join(SUITE, 'bugs');
  const ids = readdirSync(bugsDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  // --check builds the repositories into a scratch folder and compares them with the committed ones.
  const reposRoot = check ? mkdtempSync(path.join(tmpdir(), 'swe-mini-repos-')) : path.join(SUITE, 'repos');
  const rows = [];
  for (const id of ids) {
    if (only.length > 0 && !only.includes(id)) continue;
    const file = path.join(bugsDir, `${id}.yaml`);
    const parsed = bugSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `field ${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const row = buildInstance(id, parsed.data, reposRoot);
    rows.push(row);
    process.stdout.write(`${id}: base ${row.base_commit.slice(0, 10)}, F2P ${row.FAIL_TO_PASS.length}, P2P ${row.PASS_TO_PASS.length}\n`);
  }
  if (only.length > 0) { // a partial build only checks the named bugs
    if (check) rmSync(reposRoot, { recursive: true, force: true });
    return;
  }
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const out = path.join(SUITE, 'instances.jsonl');
  if (check) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== jsonl) throw new Error(`${out} is out of date: run node --import tsx tasks/swe-mini/build.ts`);
    const stale = diffRepos(path.join(SUITE, 'repos'), reposRoot);
    rmSync(reposRoot, { recursive: true, force: true });
    if (stale.length) throw new Error(`tasks/swe-mini/repos is out of date (${stale.slice(0, 5).join('; ')}${stale.length > 5 ? '; …' : ''}): run node --import tsx tasks/swe-mini/build.ts`);
    process.stdout.write(`instances.jsonl and repos/ are up to date (${rows.length} instances)\n`);
    return;
  }
  writeFileSync(out, jsonl);
  process.stdout.write(`wrote ${rows.length} instances to ${out}\n`);
}

main();
