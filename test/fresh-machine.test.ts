/**
 * A fresh machine has only what its kind ships; everything else the project runs must be installed by the
 * project's own scripts. This test lists the external commands that the scripts and the TypeScript code run
 * and checks each one: either it is on a fresh machine (the list below, from what such a machine ships: a
 * Debian base with Python, Node.js, Go, git and the Docker client), or a script installs it (an `apt-get
 * install` of a Debian package whose files provide that command, read from the package itself), or it comes
 * from the project's venv. A command added without an install step fails here, on the developer's machine
 * where it happens to be installed by hand, instead of on the next new machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

/** On every new machine of this kind before the project's scripts run. */
const FRESH = new Set(
  [
    // coreutils, util-linux, procps, findutils, grep, sed, gawk/mawk, tar, gzip, passwd (Debian's essential set)
    'awk basename cat chmod chown chroot cp cut date dirname du echo env false find grep gzip head id kill ln ls',
    'mkdir mktemp mv nohup nproc pgrep pkill printf ps readlink realpath rm rmdir sed seq sh sha256sum sleep sort',
    'stat tail tar tee test timeout touch tr true uname uniq useradd wc xargs yes nice runuser unshare',
    // the toolchains a machine of this kind ships
    'bash git go node npm npx python3 pip3 docker make gcc',
    // Debian's package tools; pidof (sysvinit-utils, priority required); openssl (a dependency of ca-certificates)
    'apt-get dpkg pidof openssl',
  ]
    .join(' ')
    .split(/\s+/),
);

/** Commands of scripts that run elsewhere, with where they come from there. */
const ELSEWHERE: Record<string, string> = {
  'nvidia-smi': "the GPU host's NVIDIA driver (scripts/gpu-bench.sh runs only on a GPU host)",
};

/** Shell words that are not commands: builtins, keywords, and the scripts' own functions. */
const SHELL = new Set(
  'if then else elif fi for in do done while until case esac function return exit set shift local export unset read cd pwd source . [ [[ ] ]] ! { } : command trap wait disown eval exec declare type'.split(' '),
);

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (['node_modules', '.git', 'runs', 'repos', '.venv', 'fixtures'].includes(name) || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return files(full, ext);
    return name.endsWith(ext) ? [full] : [];
  });
}

/** Commands at command position in a shell script (after line start, `;`, `&&`, `||`, `|`, `$(`, `then`, `do`). */
function shellCommands(text: string): Set<string> {
  const functions = new Set([...text.matchAll(/^\s*([A-Za-z_][\w-]*)\s*\(\)\s*\{/gm)].map((m) => m[1]));
  const found = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, (q) => (q.includes('$(') ? q.slice(1, -1) : '""'));
    for (const segment of line.split(/;|&&|\|\||\||\$\(|`|\bthen\b|\bdo\b|\belse\b|\{|\(/)) {
      const words = segment.trim().split(/\s+/).filter(Boolean);
      // Skip assignments (VAR=value cmd) and redirections.
      const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && !/^[0-9]*[<>]/.test(w));
      if (!word || SHELL.has(word) || functions.has(word)) continue;
      if (!/^[a-z][a-z0-9.+_-]*$/.test(word)) continue; // variables, paths, expansions
      found.add(word);
    }
  }
  return found;
}

/** Commands the TypeScript code runs by name (`spawn('git', …)`, `execFileSync('python3', …)`). */
function spawnedCommands(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*'([a-z][a-z0-9.+_-]*)'/g)].map((m) => m[1]));
}

/** Debian packages that a script installs with apt-get, and the commands their files provide. */
function installedByScripts(scripts: string[]): Map<string, string> {
  const provided = new Map<string, string>();
  for (const file of scripts) {
    // Install lines, not messages that tell a user what to install: quoted text is left out.
    const code = readFileSync(file, 'utf8').replace(/'[^'\n]*'|"(?:[^"\\\n]|\\.)*"/g, '""');
    for (const m of code.matchAll(/apt[-_]get\s+install\s+([^|&;>\n]+)/g)) {
      for (const pkg of m[1].split(/\s+/).filter((w) => w && !w.startsWith('-') && !w.startsWith('$'))) {
        // The package's own file list: what its installation really puts on PATH.
        const list = execFileSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
        for (const f of list.split('\n')) {
          const bin = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(f);
          if (bin) provided.set(bin[1], `${pkg} (${path.relative(PROJECT_ROOT, file)})`);
        }
      }
    }
  }
  return provided;
}

test('every external command the project runs is on a fresh machine or installed by its own scripts', () => {
  const scripts = files(path.join(PROJECT_ROOT, 'scripts'), '.sh');
  const used = new Map<string, string>();
  for (const file of scripts) for (const c of shellCommands(readFileSync(file, 'utf8'))) used.set(c, path.relative(PROJECT_ROOT, file));
  for (const file of files(PROJECT_ROOT, '.ts')) for (const c of spawnedCommands(readFileSync(file, 'utf8'))) used.set(c, path.relative(PROJECT_ROOT, file));
  const installed = installedByScripts(scripts);
  const venv = new Set(readdirSync(path.join(PROJECT_ROOT, '.venv', 'bin')));
  const missing = [...used].filter(([c]) => !FRESH.has(c) && !installed.has(c) && !venv.has(c) && !(c in ELSEWHERE)).map(([c, where]) => `${c} (run by ${where})`);
  assert.deepEqual(missing, [], 'install these from scripts/ (or, if a fresh machine has them, add them to FRESH with the reason)');
  // What the scripts install covers what the sandbox image and the daemon need.
  for (const c of ['debootstrap', 'dockerd', 'chromium']) assert.ok(installed.has(c), `${c} is not installed by any script`);
});

test('the command finder sees commands at command position and not words in strings, variables or comments', () => {
  const found = shellCommands(
    [
      'set -euo pipefail',
      'say() { echo "x"; }',
      'if ! command -v debootstrap >/dev/null; then say "debootstrap is missing"; fi',
      'FOO=1 debootstrap --variant=minbase x "$dir" # comment mentions curl',
      'v=$(sha256sum f | cut -c1-12) && docker tag a b',
      "echo 'wget is not run'",
    ].join('\n'),
  );
  assert.deepEqual([...found].sort(), ['cut', 'debootstrap', 'docker', 'echo', 'sha256sum'].sort());
});
