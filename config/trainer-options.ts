/**
 * The bundled trainer's options are checked by the trainer itself (`agent_dagger_trainer check-config`, the
 * same validation a train step runs), when the experiment config loads: a typo fails at once, naming the
 * field, instead of after a whole iteration of rollouts. The trainer owns its options; this module only asks it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { trainerInvocation } from './paths';

/** Null when the options are valid, else the trainer's reason (it starts with `trainer.options`). */
export function checkTrainerOptions(options: Record<string, unknown>): string | null {
  const { command, args, env } = trainerInvocation(['check-config', '--options', JSON.stringify(options)]);
  if (!existsSync(command)) {
    return `trainer.options: cannot check them, the project's Python (${command}) is not installed: run \`bash scripts/bootstrap.sh\``;
  }
  const run = spawnSync(command, args, { env: { ...env, AGENT_DAGGER_EXIT_WITH_PARENT: '0' }, encoding: 'utf8', timeout: 60_000 });
  if (run.status === 0) return null;
  const lastEvent = run.stdout
    .trim()
    .split('\n')
    .reverse()
    .map((line) => {
      try {
        return JSON.parse(line) as { event?: string; message?: string };
      } catch {
        return null;
      }
    })
    .find((e) => e?.event === 'error');
  return lastEvent?.message ?? `trainer.options: the trainer's check failed (exit ${run.status ?? run.signal}): ${(run.stderr || run.error?.message || '').trim().slice(-500)}`;
}
