/**
 * Makes the local Docker usable and the bundled sandbox image present, through the two idempotent
 * scripts (scripts/ensure-docker.sh, scripts/build-sandbox-image.sh). For tests, benches and bootstrap.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', 'scripts');

/** Returns the image name `agent-dagger/sandbox:<tag>`; building it the first time takes about a minute. */
export function ensureSandboxImage(): string {
  run('ensure-docker.sh');
  const out = run('build-sandbox-image.sh').trim().split('\n');
  return out[out.length - 1]!;
}

function run(script: string): string {
  try {
    return execFileSync('bash', [join(SCRIPTS, script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (err) {
    throw new Error(`scripts/${script} failed (${err instanceof Error ? err.message : String(err)}); run it by hand to see why`);
  }
}
