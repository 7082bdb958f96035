/**
 * The in-container shell session: how a command runs so that its shell state survives the worker.
 *
 * Every command runs in a fresh `bash` that first restores the session (exported environment and cwd)
 * from a state file inside the container and saves it again when it exits. So a sandbox is fully named by
 * its container id: any worker can continue an episode after another one was killed, with nothing kept
 * on the host. Pure: builds argv only.
 */

/** Where the tools and the session state live inside every sandbox (a small tmpfs volume, mode 1777). */
export const AGENT_DIR = '/opt/agent-dagger';

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
 * saves the session again when the shell exits, and leaves the command ($1) in __ad_cmd with no positional
 * parameters, as a terminal would. stdin is /dev/null so a command waiting for input cannot
 * hang; stderr is merged into stdout so the output keeps its order.
 */
export const SESSION_SCRIPT = `__ad_state=${AGENT_DIR}/session-$EUID.sh
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
  { export -p; printf 'cd -- %q 2>/dev/null || true\\n' "$PWD"; } >"$__ad_state.$$" 2>/dev/null \\
    && mv -f -- "$__ad_state.$$" "$__ad_state"
}
# The step journal (journalled commands only): the command's output and exit status are recorded in
# the container, so running the same step again replays the first run instead of executing twice, and
# a step still running under a lost worker is waited for rather than started again.
__ad_j=
__ad_begin() {
  local j=${AGENT_DIR}/journal/$1 p
  if [ ! -e "$j.rc" ] && [ -r "$j.pid" ]; then
    p=$(cat -- "$j.pid")
    while [ ! -e "$j.rc" ] && kill -0 "$p" 2>/dev/null; do sleep 0.05; done
  fi
  if [ -e "$j.rc" ]; then cat -- "$j.out"; __ad_replayed=$(cat -- "$j.rc"); return 1; fi
  mkdir -p -- "\${j%/*}" && find "\${j%/*}" -maxdepth 1 -type f ! -name "$1.*" -delete 2>/dev/null
  printf '%s' "$$" >"$j.pid"
  __ad_j=$j
  exec 3>&1 > >(head -c 8388608 >"$j.out") 2>&1
  __ad_ps=$!
}
__ad_finish() {
  [ -n "$__ad_j" ] || return "$1"
  exec 1>&3 2>&1 3>&-
  wait "$__ad_ps" 2>/dev/null
  printf '%s' "$1" >"$__ad_j.rc.tmp" && mv -f -- "$__ad_j.rc.tmp" "$__ad_j.rc"
  cat -- "$__ad_j.out"
  __ad_j=
  return "$1"
}
trap '__ad_finish $?; __ad_save' EXIT
__ad_cmd=$1
set --
`;

/** The shell's own program: the eval sits on line 1 so errors read "bash: line 1: …" as in a terminal. */
const RUN_COMMAND = `. ${SESSION_SCRIPT_PATH} && eval "$__ad_cmd"`;

/** The same, through the step journal under `key`. */
function journalledCommand(key: string): string {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(key)) throw new Error(`journal key ${JSON.stringify(key)} must be 1–100 of [A-Za-z0-9_.-]`);
  return `. ${SESSION_SCRIPT_PATH} && if __ad_begin ${key}; then eval "$__ad_cmd"; __ad_finish $?; else exit "$__ad_replayed"; fi`;
}

export interface SessionCommand {
  command: string;
  timeoutS: number;
  workdir?: string;
  env?: Record<string, string>;
  /** Names the step in the journal: the same key again replays the recorded result (see SESSION_SCRIPT). */
  journal?: string;
}

/**
 * The argv of one command: `timeout -s KILL` around the session shell. Without --foreground, GNU
 * timeout signals its whole process group, so background children die with the command.
 */
export function sessionArgv(cmd: SessionCommand): string[] {
  const exports = Object.entries(cmd.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not a valid shell name`);
    return `${k}=${v}`;
  });
  const seconds = Math.max(1, Math.ceil(cmd.timeoutS));
  const program = cmd.journal === undefined ? RUN_COMMAND : journalledCommand(cmd.journal);
  return ['timeout', '-s', 'KILL', `${seconds}s`, 'bash', '-c', program, 'bash', cmd.command, cmd.workdir ?? '', ...exports];
}

/** Exit status of a process killed by SIGKILL, as `timeout -s KILL` reports it. */
export const KILLED_EXIT_CODE = 137;
