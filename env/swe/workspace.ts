/**
 * Workspace setup: put a task's repository at base_commit into a sandbox and remove answer leaks.
 *
 * Bundled suites: the files of `repo_dir` are copied in, `git init` and committed with a fixed identity and
 * fixed dates, so the commit sha is deterministic and must equal the instance's `base_commit` (the suite's
 * build script computes it the same way, from `baseCommitScript`). Real SWE-bench / SWE-Gym images: the
 * repository is already there.
 *
 * Either way, before the agent starts: remotes, tags, stash, reflog and every ref are removed and
 * unreachable objects pruned, so nothing beyond base_commit (a future commit carrying the fix, the known
 * SWE-bench leak) can be found with `git log --all`. Neither the patch nor the test_patch is ever copied in.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Action } from '../../core/types';
import { EXECUTE_BASH, STR_REPLACE_EDITOR } from '../tools/definitions';
import type { TaskInstance } from '../types';
import { isRealImage, taskEnv } from './instances';
import type { SandboxApi } from './sandbox';

/** Fixed identity and dates of a bundled repository's base commit (the sha depends on them). */
export const BASE_COMMIT_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: 'swe-mini',
  GIT_AUTHOR_EMAIL: 'swe-mini@agent-dagger.local',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00+0000',
  GIT_COMMITTER_NAME: 'swe-mini',
  GIT_COMMITTER_EMAIL: 'swe-mini@agent-dagger.local',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00+0000',
};
export const BASE_COMMIT_MESSAGE = 'base';

/** Build artefacts that must never show up in the agent's diff (kept out without touching the tree). */
const LOCAL_EXCLUDES = ['__pycache__/', '*.pyc', '.pytest_cache/'];

/** The non-root user the agent's tools run as (exists in the bundled image). */
export const AGENT_USER = 'agent';

/** Shell (run in the repository directory) that commits its files deterministically and prints the sha. */
export function baseCommitScript(): string {
  const env = Object.entries(BASE_COMMIT_ENV)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  return [
    'set -e',
    'git init -q -b main .',
    `printf '${LOCAL_EXCLUDES.join('\\n')}\\n' >> .git/info/exclude`,
    'git add -A',
    `${env} git -c commit.gpgsign=false commit -q --no-verify -m '${BASE_COMMIT_MESSAGE}'`,
    'git rev-parse HEAD',
  ].join('\n');
}

/**
 * Shell (run in the repository directory) that leaves exactly one branch `main` at `base` and nothing else:
 * no remotes, tags, stash, other refs, reflog or unreachable objects.
 */
export function purgeLeaksScript(base: string): string {
  return [
    'set -e',
    `test "$(git rev-parse HEAD)" = "${base}" || { echo "HEAD is $(git rev-parse HEAD), expected base_commit ${base}" >&2; exit 3; }`,
    'for r in $(git remote); do git remote remove "$r"; done',
    "git for-each-ref --format='delete %(refname)' | git update-ref --stdin",
    `git update-ref refs/heads/main ${base}`,
    'git symbolic-ref HEAD refs/heads/main',
    'rm -rf .git/logs .git/ORIG_HEAD .git/FETCH_HEAD .git/MERGE_HEAD .git/refs/original .git/info/grafts',
    'git reflog expire --expire=now --all',
    'git gc -q --prune=now',
    // Nothing but base and its ancestors may remain.
    `test -z "$(git rev-list --all --not ${base})"`,
  ].join('\n');
}

/** The files of a bundled repository directory, relative paths in sorted order. */
export function readRepoFiles(repoDir: string): { path: string; content: Buffer; mode: number }[] {
  const files: { path: string; content: Buffer; mode: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '__pycache__' || name === '.pytest_cache' || name === '.git' || name.endsWith('.pyc')) continue;
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      // Modes are normalised (0644 / 0755) because they enter the tree and so the sha.
      else files.push({ path: path.relative(repoDir, full), content: readFileSync(full), mode: stat.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  walk(repoDir);
  return files;
}

export interface WorkspaceOptions {
  /** Directory of the bundled suite (repo_dir is relative to it). */
  suiteDir: string;
  /** Seconds allowed for setup commands. */
  timeoutS?: number;
}

/** Sets up the task's repository at base_commit in a started sandbox; throws with what failed. */
export async function setupWorkspace(sandboxes: SandboxApi, id: string, task: TaskInstance, options: WorkspaceOptions): Promise<void> {
  const timeoutS = options.timeoutS ?? 300;
  const env = taskEnv(task);
  const run = async (what: string, script: string) => {
    const result = await sandboxes.exec(id, `bash -c ${shellQuote(script)}`, { timeoutS, workdir: task.workdir, user: 'root', env });
    if (result.exitCode !== 0) {
      throw new Error(`workspace setup for ${task.instance_id}: ${what} failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}): ${result.output.slice(-2000)}`);
    }
    return result.output;
  };
  if (!isRealImage(task)) {
    const repoDir = path.resolve(options.suiteDir, task.repo_dir as string);
    const files = readRepoFiles(repoDir).map((f) => ({ ...f, path: path.posix.join(task.workdir, f.path) }));
    if (files.length === 0) throw new Error(`workspace setup for ${task.instance_id}: ${repoDir} holds no files; rebuild the suite`);
    await sandboxes.exec(id, `mkdir -p ${shellQuote(task.workdir)}`, { timeoutS, user: 'root' });
    await sandboxes.putFiles(id, files, { user: 'root' });
    const sha = (await run('the base commit', baseCommitScript())).trim().split('\n').pop();
    if (sha !== task.base_commit) {
      throw new Error(
        `workspace setup for ${task.instance_id}: committed ${repoDir} as ${sha}, but base_commit is ${task.base_commit}; ` +
          'the repository files or the commit recipe changed: regenerate the suite (node --import tsx tasks/swe-mini/build.ts)',
      );
    }
  } else {
    // Real images may not trust a repository owned by another user; the agent runs as non-root.
    await run('git safe.directory', `git config --system --add safe.directory '*' && printf '${LOCAL_EXCLUDES.join('\\n')}\\n' >> .git/info/exclude`);
  }
  await run('removing answer leaks', purgeLeaksScript(task.base_commit));
  // Images without the agent user (SWE-bench / SWE-Gym images) run the agent as root: nothing to hand over.
  await run(
    'handing the workspace to the agent user',
    `if id -u ${AGENT_USER} >/dev/null 2>&1; then chown -R ${AGENT_USER}:${AGENT_USER} ${shellQuote(task.workdir)}; fi`,
  );
}

/** Largest agent patch accepted (bytes), and so the largest changed file. SWE-bench gold patches are a few KiB. */
export const MAX_PATCH_BYTES = 2 * 1024 * 1024;

/**
 * The agent's changes cannot be graded: a changed file is huge, or the patch is over
 * MAX_PATCH_BYTES. Final for the episode (retrying reads the same workspace): SweEnvironment.verify turns
 * it into a verification error.
 */
export class PatchRefusedError extends Error {
  override name = 'PatchRefusedError';
}

/**
 * Git as the extraction runs it: nothing from the repository's config (which the agent controls) may run a
 * program. No system or global config, a clean environment, no fsmonitor, hooks, external diff or textconv,
 * and every filter driver and diff driver the config names overridden with an empty command (git then runs
 * none). The work tree is the task's workdir whatever core.worktree says.
 */
export function safeGitScript(workdir: string): string {
  return [
    `export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 HOME=/nonexistent`,
    `neutral=(-c core.fsmonitor=false -c core.hooksPath=/dev/null -c core.untrackedCache=false -c 'safe.directory=*' -c core.worktree=${shellQuote(workdir)})`,
    'while IFS= read -r key; do',
    '  case "$key" in',
    '    filter.*.clean|filter.*.smudge|filter.*.process|diff.*.textconv|diff.*.command) neutral+=(-c "$key=");;',
    '    filter.*.required) neutral+=(-c "$key=false");;',
    '  esac',
    "done < <(git -c 'safe.directory=*' config --name-only --get-regexp '^(filter|diff)\\.' 2>/dev/null || true)",
    'g() { git "${neutral[@]}" --work-tree=. "$@"; }',
  ].join('\n');
}

/**
 * Shell (run in the workdir, as the agent's user, in a clean environment) that writes the agent's changes
 * against `base` to `out`: new untracked files included (excluded build artefacts stay out), binary files left
 * out as OpenHands' SWE-bench evaluation leaves them out (its `remove_binary_diffs`; SWE-bench's harness could
 * only apply them as empty or unchanged files anyway). Exits 3 with `REFUSED: <why>` when a changed file is over
 * MAX_PATCH_BYTES, checked before anything is staged so a huge file costs no time.
 */
export function extractPatchScript(workdir: string, base: string, out: string): string {
  return [
    'set -eo pipefail',
    safeGitScript(workdir),
    `big=$( { g diff --name-only --diff-filter=d -z ${base} --; g ls-files -z -o --exclude-standard; } | xargs -0 -r stat -c '%s %n' -- 2>/dev/null | awk -v max=${MAX_PATCH_BYTES} '$1 > max { print; exit }')`,
    'if [ -n "$big" ]; then echo "REFUSED: ${big#* } is ${big%% *} bytes, over the ' + MAX_PATCH_BYTES + '-byte limit of a patch"; exit 3; fi',
    'g add -A',
    // Binary files (numstat "-\t-\tpath") go back to their state at base in the index: out of the patch.
    "tab=$'\\t'",
    'while IFS= read -r -d "" rec; do',
    `  case "$rec" in "-$tab-$tab"*) g reset -q ${base} -- ":(literal)\${rec#-$tab-$tab}";; esac`,
    `done < <(g diff --cached --numstat -z --no-renames --no-ext-diff --no-textconv ${base})`,
    // Explicit prefixes: the repository's diff.noprefix / mnemonicPrefix / relative would make a patch git apply -p1 cannot apply.
    `g diff --cached --no-color --no-ext-diff --no-textconv --no-relative --src-prefix=a/ --dst-prefix=b/ ${base} > ${shellQuote(out)}`,
    `size=$(stat -c %s ${shellQuote(out)})`,
    `if [ "$size" -gt ${MAX_PATCH_BYTES} ]; then echo "REFUSED: the patch is $size bytes, over the ${MAX_PATCH_BYTES}-byte limit"; exit 3; fi`,
  ].join('\n');
}

/**
 * The agent's changes as a patch against base_commit (see extractPatchScript). Runs as the sandbox's own
 * user (the agent), never as root: the workspace is the agent's to booby-trap. Empty string when nothing
 * changed; throws PatchRefusedError for what cannot be graded.
 */
export async function extractPatch(sandboxes: SandboxApi, id: string, task: TaskInstance): Promise<string> {
  // Written to a file and read back: the exec output mixes in stderr.
  const out = `/tmp/agent-dagger-model-${randomBytes(6).toString('hex')}.patch`;
  const result = await runClean(sandboxes, id, task, extractPatchScript(task.workdir, task.base_commit, out), 120);
  if (result.exitCode === 3 && /^REFUSED: /m.test(result.output)) {
    throw new PatchRefusedError(`the agent's changes to ${task.instance_id} cannot be graded: ${/^REFUSED: (.*)$/m.exec(result.output)![1]}`);
  }
  if (result.exitCode !== 0) {
    const why = result.output.slice(-2000);
    if (/No space left on device/.test(why)) throw new PatchRefusedError(`the agent's changes to ${task.instance_id} could not be written out: the sandbox's /tmp is full (${why.trim().split('\n').pop()})`);
    throw new Error(`extracting the patch of ${task.instance_id} failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}): ${why}`);
  }
  try {
    return (await sandboxes.readFile(id, out, { maxBytes: MAX_PATCH_BYTES, asSandboxUser: true })).toString();
  } finally {
    await sandboxes.exec(id, `rm -f -- ${shellQuote(out)}`, { timeoutS: 10 }).catch(() => undefined);
  }
}

/** PATH for commands run in a clean environment (env -i). */
const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Single-quotes a string for bash. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Workspace snapshots: the agent's workspace as data, so that an episode whose Docker host is lost continues in a
 * fresh sandbox elsewhere. A snapshot is two binary-safe git patches: base_commit → the agent's index (what it
 * staged), and index → work tree (unstaged edits, deletions and untracked files; ignored files such as
 * __pycache__ stay out). Restoring both into a fresh checkout of base_commit gives back the same files, modes,
 * index and `git status`. Not kept: the agent's own commits (their changes are kept, as staged changes on base),
 * ignored files, empty directories, anything outside the workdir, and the shell's state (cwd, variables).
 */
export const SNAPSHOT_MAGIC = 'agent-dagger-workspace@1';

/** The workspace is over the snapshot bound: final for the episode (the workspace only grows back by the agent). */
export class WorkspaceTooLargeError extends Error {
  override name = 'WorkspaceTooLargeError';
}

export interface WorkspaceSnapshot {
  /** base_commit → index. */
  staged: Buffer;
  /** index → work tree, untracked files included. */
  unstaged: Buffer;
}

/** One buffer: a header line with both lengths, then the two patches. */
export function encodeSnapshot(snapshot: WorkspaceSnapshot): Buffer {
  return Buffer.concat([Buffer.from(`${SNAPSHOT_MAGIC} ${snapshot.staged.length} ${snapshot.unstaged.length}\n`), snapshot.staged, snapshot.unstaged]);
}

export function decodeSnapshot(data: Buffer): WorkspaceSnapshot {
  const newline = data.indexOf(0x0a);
  const header = newline < 0 ? '' : data.subarray(0, newline).toString('latin1');
  const match = /^(\S+) (\d+) (\d+)$/.exec(header);
  if (!match || match[1] !== SNAPSHOT_MAGIC) throw new Error(`not a workspace snapshot (header ${JSON.stringify(header.slice(0, 80))}, expected "${SNAPSHOT_MAGIC} <bytes> <bytes>")`);
  const staged = Number(match[2]);
  const unstaged = Number(match[3]);
  const body = data.subarray(newline + 1);
  if (body.length !== staged + unstaged) throw new Error(`workspace snapshot is truncated or padded: the header names ${staged} + ${unstaged} bytes, the body holds ${body.length}`);
  return { staged: body.subarray(0, staged), unstaged: body.subarray(staged) };
}

/**
 * Whether executing `action` can change the workspace: one well-formed call of the shell or of an editor command
 * that writes. Anything else (a thought, finish, the editor's view, no call or several: executeAction runs none of
 * those) leaves it as the previous turn's snapshot has it, so that snapshot stands for this turn too.
 */
export function mayChangeWorkspace(action: Action): boolean {
  const [call, ...more] = action.toolCalls;
  if (action.parseError || !call || more.length > 0) return false;
  return call.name === EXECUTE_BASH || (call.name === STR_REPLACE_EDITOR && call.arguments.command !== 'view');
}

/** Snapshots up to this size come back in the command's output (base64), in one round trip; larger ones as a file. */
export const SNAPSHOT_INLINE_BYTES = 1024 * 1024;

/**
 * Shell (run in the workdir as the agent's user, in a clean environment) that prints the encoded snapshot as
 * `SNAPSHOT <base64>` when it is at most SNAPSHOT_INLINE_BYTES, else writes it to `out` and prints `SNAPSHOT_FILE`.
 * The agent's repository is left as it was: the index is read from a copy and new objects go to a temporary object
 * directory. Exits 4 with `TOO_LARGE: <why>` when a changed or new file, or the snapshot, is over `maxBytes` (files
 * are checked before anything is hashed, so a huge file costs no time). Git's messages are printed only on failure.
 */
export function snapshotScript(workdir: string, base: string, out: string, maxBytes: number): string {
  const diff = `g diff --binary --no-color --no-ext-diff --no-textconv --no-renames --no-relative --src-prefix=a/ --dst-prefix=b/`;
  return [
    'set -eo pipefail',
    'tmp=$(mktemp -d /tmp/agent-dagger-snapshot.XXXXXX)',
    'trap \'status=$?; if [ $status -ne 0 ] && [ $status -ne 4 ]; then cat -- "$tmp/stderr"; fi; rm -rf -- "$tmp"; exit $status\' EXIT',
    'exec 2>"$tmp/stderr"',
    safeGitScript(workdir),
    `big=$( { g diff --name-only --diff-filter=d -z ${base} --; g ls-files -z -o --exclude-standard; } | xargs -0 -r stat -c '%s %n' -- 2>/dev/null | awk -v max=${maxBytes} '$1 > max { print; exit }')`,
    `if [ -n "$big" ]; then echo "TOO_LARGE: \${big#* } is \${big%% *} bytes"; exit 4; fi`,
    'gitdir=$(g rev-parse --absolute-git-dir)',
    'mkdir "$tmp/objects"',
    'export GIT_OBJECT_DIRECTORY="$tmp/objects" GIT_ALTERNATE_OBJECT_DIRECTORIES="$gitdir/objects"',
    // write-tree refreshes the index's cache-tree: both trees come from copies of the index, never the agent's file.
    `if [ -f "$gitdir/index" ]; then cp "$gitdir/index" "$tmp/index"; else GIT_INDEX_FILE="$tmp/index" g read-tree ${base}; fi`,
    'cp "$tmp/index" "$tmp/worktree-index"',
    'staged=$(GIT_INDEX_FILE="$tmp/index" g write-tree)',
    'GIT_INDEX_FILE="$tmp/worktree-index" g add -A',
    'worktree=$(GIT_INDEX_FILE="$tmp/worktree-index" g write-tree)',
    `${diff} ${base} "$staged" > "$tmp/staged.patch"`,
    `${diff} "$staged" "$worktree" > "$tmp/unstaged.patch"`,
    `printf '${SNAPSHOT_MAGIC} %s %s\\n' "$(stat -c %s "$tmp/staged.patch")" "$(stat -c %s "$tmp/unstaged.patch")" > "$tmp/out"`,
    'cat "$tmp/staged.patch" "$tmp/unstaged.patch" >> "$tmp/out"',
    'size=$(stat -c %s "$tmp/out")',
    `if [ "$size" -gt ${maxBytes} ]; then echo "TOO_LARGE: the snapshot is $size bytes"; exit 4; fi`,
    `if [ "$size" -le ${SNAPSHOT_INLINE_BYTES} ]; then printf 'SNAPSHOT '; base64 -w0 "$tmp/out"; echo; else mv "$tmp/out" ${shellQuote(out)}; echo SNAPSHOT_FILE; fi`,
  ].join('\n');
}

/** Shell (as snapshotScript) that applies a snapshot's two patches to a fresh checkout of base_commit. */
export function restoreScript(workdir: string, staged: string, unstaged: string): string {
  const apply = 'g apply --binary --whitespace=nowarn';
  return [
    'set -eo pipefail',
    safeGitScript(workdir),
    // The fresh checkout was chowned after it was committed: refresh the stat data, or apply --index sees changes.
    'g update-index -q --refresh || true',
    `if [ -s ${shellQuote(staged)} ]; then ${apply} --index ${shellQuote(staged)}; fi`,
    `if [ -s ${shellQuote(unstaged)} ]; then ${apply} ${shellQuote(unstaged)}; fi`,
  ].join('\n');
}

/**
 * Runs a script as the sandbox's user in a clean environment: `env -i`, so nothing the agent exported in its
 * session (GIT_DIR, PATH, LD_PRELOAD...) reaches git.
 */
async function runClean(sandboxes: SandboxApi, id: string, task: TaskInstance, script: string, timeoutS: number) {
  const env = Object.entries(taskEnv(task))
    .map(([k, v]) => shellQuote(`${k}=${v}`))
    .join(' ');
  return sandboxes.exec(id, `env -i PATH=${SAFE_PATH} ${env} bash -c ${shellQuote(script)}`, { timeoutS, workdir: task.workdir });
}

/** The agent's workspace as an encoded snapshot; throws WorkspaceTooLargeError beyond `maxBytes`. */
export async function captureWorkspace(sandboxes: SandboxApi, id: string, task: TaskInstance, maxBytes: number): Promise<Buffer> {
  const out = `/tmp/agent-dagger-snapshot-${randomBytes(6).toString('hex')}`;
  const result = await runClean(sandboxes, id, task, snapshotScript(task.workdir, task.base_commit, out, maxBytes), 120);
  if (result.exitCode === 4 && /^TOO_LARGE: /m.test(result.output)) {
    throw new WorkspaceTooLargeError(
      `the workspace of ${task.instance_id} cannot be snapshotted: ${/^TOO_LARGE: (.*)$/m.exec(result.output)![1]}, over the bound of ${maxBytes} bytes ` +
        '(rollout.sandbox.snapshotMaxBytes; raise it to keep such episodes, at the cost of that much storage per changed turn)',
    );
  }
  const inline = /^SNAPSHOT ([A-Za-z0-9+/=]*)$/m.exec(result.output);
  if (result.exitCode === 0 && inline) return Buffer.from(inline[1], 'base64');
  if (result.exitCode !== 0 || !/^SNAPSHOT_FILE$/m.test(result.output)) {
    throw new Error(`snapshotting the workspace of ${task.instance_id} failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}): ${result.output.slice(-2000)}`);
  }
  try {
    return await sandboxes.readFile(id, out, { maxBytes, asSandboxUser: true });
  } finally {
    await sandboxes.exec(id, `rm -f -- ${shellQuote(out)}`, { timeoutS: 10 }).catch(() => undefined);
  }
}

/** Applies a snapshot to a sandbox whose workspace was just set up at base_commit (setupWorkspace). */
export async function restoreWorkspace(sandboxes: SandboxApi, id: string, task: TaskInstance, data: Buffer): Promise<void> {
  const { staged, unstaged } = decodeSnapshot(data);
  if (staged.length === 0 && unstaged.length === 0) return;
  const dir = `/tmp/agent-dagger-restore-${randomBytes(6).toString('hex')}`;
  const files = { staged: `${dir}/staged.patch`, unstaged: `${dir}/unstaged.patch` };
  await sandboxes.putFiles(id, [
    { path: files.staged, content: staged },
    { path: files.unstaged, content: unstaged },
  ]);
  try {
    const result = await runClean(sandboxes, id, task, restoreScript(task.workdir, files.staged, files.unstaged), 120);
    if (result.exitCode !== 0) throw new Error(`restoring the workspace snapshot of ${task.instance_id} failed (exit ${result.exitCode}): ${result.output.slice(-2000)}`);
  } finally {
    await sandboxes.exec(id, `rm -rf -- ${shellQuote(dir)}`, { timeoutS: 10 }).catch(() => undefined);
  }
}
