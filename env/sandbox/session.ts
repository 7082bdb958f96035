/**
 * The in-container shell session: how a command runs so that its shell state survives the worker.
 *
 * Every command runs in a fresh `bash` that first restores the session (exported environment and cwd)
 * from a state file inside the container and saves it again when it exits. So a sandbox is fully named by
 * its container id: any worker can continue an episode after another one was killed, with nothing kept
 * on the host. Pure: builds argv and scripts only.
 *
 * Two places in every sandbox: AGENT_DIR (the tools and these scripts; root's, read-only to the agent) and
 * STATE_DIR (one directory per uid, writable by that user only: session state, the step journal, the
 * editor's undo history), each its own small volume, so filling /tmp or the workspace cannot touch them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the tools and the session scripts live inside every sandbox (a small tmpfs volume, root's, mode 0755). */
export const AGENT_DIR = '/opt/agent-dagger';
/** Per-user state (`<uid>/`): a separate small tmpfs volume, so nothing else can fill it. */
export const STATE_DIR = `${AGENT_DIR}/state`;

/**
 * Longest command accepted, in bytes. A command travels as one argv string and Linux refuses single
 * arguments over 128 KiB (MAX_ARG_STRLEN); long content belongs in a file (the editor's `create`).
 */
export const MAX_COMMAND_BYTES = 100_000;

/** The session script, installed at SESSION_SCRIPT_PATH when a sandbox is created. */
export const SESSION_SCRIPT_PATH = `${AGENT_DIR}/session.sh`;

/**
 * Sourced by the shell that runs a command (see sessionArgv): restores the session of the current user,
 * applies the working-directory override ($2, '' for none) and the extra `KEY=VALUE` exports ($3…),
 * saves the session again when the shell exits (saying so in the output when it cannot), and leaves the
 * command ($1) in __ad_cmd with no positional parameters, as a terminal would. stdin is /dev/null so a
 * command waiting for input cannot hang; stderr is merged into stdout so the output keeps its order.
 */
export const SESSION_SCRIPT = `__ad_dir=${STATE_DIR}/$EUID
__ad_state=$__ad_dir/session.sh
exec </dev/null 2>&1
if [ -r "$__ad_state" ]; then
  # The saved export list is the whole exported environment: drop what an earlier command unset.
  unset $(compgen -e) 2>/dev/null
  . "$__ad_state"
fi
if [ -n "$2" ]; then cd -- "$2" || exit 1; fi
for __ad_kv in "\${@:3}"; do export "$__ad_kv"; done
unset __ad_kv
__ad_save() {
  local err
  if ! err=$( { { export -p; printf 'cd -- %q 2>/dev/null || true\\n' "$PWD"; } >"$__ad_state.$$" && mv -f -- "$__ad_state.$$" "$__ad_state"; } 2>&1 ); then
    rm -f -- "$__ad_state.$$" 2>/dev/null
    printf '\\n[The shell state (working directory, exported variables) could not be saved: %s. The next command starts from the last saved state; free space in %s.]\\n' "\${err##*: }" "$__ad_dir"
  fi
}
trap __ad_save EXIT
__ad_cmd=$1
set --
`;

/** The step journal's runner, installed at JOURNAL_SCRIPT_PATH. */
export const JOURNAL_SCRIPT_PATH = `${AGENT_DIR}/journal.sh`;
/** The journal's bounded output capture (capture.py), installed at CAPTURE_SCRIPT_PATH. */
export const CAPTURE_SCRIPT_PATH = `${AGENT_DIR}/capture.py`;
export const CAPTURE_SCRIPT = readFileSync(join(__dirname, 'capture.py'));

/** Ends a journalled step's output: exit status and whether it timed out (parseJournalled strips it). */
const TRAILER = '\0agent-dagger-exit ';

/** The shell's own program: the eval sits on line 1 so errors read "bash: line 1: …" as in a terminal. */
const RUN_COMMAND = `. ${SESSION_SCRIPT_PATH} && eval "$__ad_cmd"`;

/**
 * Runs one journalled step: $1 key, $2 seconds, then the command's session arguments. The command's output
 * goes to a pipe into capture.py, never to a file the command could fill and never to a descriptor its
 * background children would inherit besides their stdout/stderr; `timeout` kills the command's process
 * group but not the capture, so what was printed before a timeout is kept. The capture stops reading half a
 * second after the timeout, so a background job that kept the output open ends the step, not every process. The record (`<key>.pid`,
 * `.out`, `.rc`) lives in the user's STATE_DIR: the same key again replays it, waits for it while its
 * runner is alive, or reports an interrupted step; a step is never executed twice. When the journal
 * cannot be written the step still runs, and its output says why.
 */
export const JOURNAL_SCRIPT = `exec </dev/null 2>&1
__ad_jdir=${STATE_DIR}/$EUID/journal
__ad_j=$__ad_jdir/$1
__ad_secs=$2
shift 2
__ad_end() { printf '${TRAILER.replace('\0', '\\0')}%s %s\\n' "$1" "$2"; exit "$1"; }
if [ ! -e "$__ad_j.rc" ] && [ -s "$__ad_j.pid" ]; then
  __ad_p=$(cat -- "$__ad_j.pid")
  while [ ! -e "$__ad_j.rc" ] && kill -0 "$__ad_p" 2>/dev/null; do sleep 0.05; done
fi
if [ -e "$__ad_j.rc" ]; then
  cat -- "$__ad_j.out" 2>/dev/null
  read -r __ad_rc __ad_t <"$__ad_j.rc"
  __ad_end "$__ad_rc" "$__ad_t"
fi
if [ -e "$__ad_j.pid" ]; then
  printf '[This step was interrupted before its result was recorded (every process of the user was killed); it is not run a second time.]\\n'
  __ad_end 137 0
fi
__ad_note=
mkdir -p -- "$__ad_jdir" 2>/dev/null
find "$__ad_jdir" -mindepth 1 -maxdepth 1 ! -name "\${__ad_j##*/}.*" -exec rm -rf -- {} + 2>/dev/null
if ! __ad_err=$( { printf '%s' "$$" >"$__ad_j.pid"; } 2>&1 ); then
  rm -f -- "$__ad_j.pid" 2>/dev/null
  __ad_note="[The step journal could not be written in $__ad_jdir: \${__ad_err##*: }. This step ran without it (a retry would run it again); free space there.]"
  __ad_j=
fi
# Microseconds (bash 5's EPOCHREALTIME; GNU date for older shells): a timeout is an exit by SIGKILL after the full time.
__ad_now() { local t=\${EPOCHREALTIME/./}; echo "\${t:-$(date +%s%6N)}"; }
__ad_t0=$(__ad_now)
if command -v python3 >/dev/null; then
  timeout -s KILL "\${__ad_secs}s" bash -c '${RUN_COMMAND}' bash "$@" | python3 -I -S ${CAPTURE_SCRIPT_PATH} "\${__ad_j:+$__ad_j.out}" $(( __ad_t0 + __ad_secs * 1000000 + 500000 ))
else
  timeout -s KILL "\${__ad_secs}s" bash -c '${RUN_COMMAND}' bash "$@" | { head -c 4194304; cat >/dev/null; }
  __ad_note="[python3 is missing in this sandbox: the step journal could not record the output.]"
fi
__ad_rc=\${PIPESTATUS[0]}
__ad_t=0
[ "$__ad_rc" = 137 ] && [ $(( $(__ad_now) - __ad_t0 )) -ge $(( __ad_secs * 1000000 - 100000 )) ] && __ad_t=1
if [ -n "$__ad_j" ] && ! __ad_err=$( { printf '%s %s' "$__ad_rc" "$__ad_t" >"$__ad_j.rc.tmp" && mv -f -- "$__ad_j.rc.tmp" "$__ad_j.rc"; } 2>&1 ); then
  rm -f -- "$__ad_j.rc.tmp" 2>/dev/null
  __ad_note="[The step journal could not record the exit status in $__ad_jdir: \${__ad_err##*: }. Free space there.]"
fi
[ -z "$__ad_note" ] || printf '\\n%s\\n' "$__ad_note"
__ad_end "$__ad_rc" "$__ad_t"
`;

export interface SessionCommand {
  command: string;
  timeoutS: number;
  workdir?: string;
  env?: Record<string, string>;
  /** Names the step in the journal: the same key again replays the recorded result (see JOURNAL_SCRIPT). */
  journal?: string;
}

/**
 * The argv of one command: `timeout -s KILL` around the session shell (inside the journal's runner for a
 * journalled step). Without --foreground, GNU timeout signals its whole process group, so background
 * children that did not leave it die with the command.
 */
export function sessionArgv(cmd: SessionCommand): string[] {
  const exports = Object.entries(cmd.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not a valid shell name`);
    return `${k}=${v}`;
  });
  const seconds = Math.max(1, Math.ceil(cmd.timeoutS));
  const session = [cmd.command, cmd.workdir ?? '', ...exports];
  if (cmd.journal === undefined) return ['timeout', '-s', 'KILL', `${seconds}s`, 'bash', '-c', RUN_COMMAND, 'bash', ...session];
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(cmd.journal)) throw new Error(`journal key ${JSON.stringify(cmd.journal)} must be 1–100 of [A-Za-z0-9_.-]`);
  return ['bash', '-c', `. ${JOURNAL_SCRIPT_PATH}`, 'bash', cmd.journal, String(seconds), ...session];
}

/**
 * Splits a journalled step's output into the command's output and the runner's verdict; `undefined` when
 * the trailer is missing (the runner itself was killed). Pure.
 */
export function parseJournalled(output: Buffer): { output: Buffer; exitCode: number; timedOut: boolean } | undefined {
  const at = output.lastIndexOf(TRAILER);
  if (at < 0) return undefined;
  const verdict = /^(\d+) ([01])\n$/.exec(output.subarray(at + TRAILER.length).toString('latin1'));
  if (!verdict) return undefined;
  return { output: output.subarray(0, at), exitCode: Number(verdict[1]), timedOut: verdict[2] === '1' };
}

/** Exit status of a process killed by SIGKILL, as `timeout -s KILL` reports it. */
export const KILLED_EXIT_CODE = 137;
