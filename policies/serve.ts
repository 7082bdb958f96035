/**
 * CLI: serve a bundled policy on the OpenAI protocol.
 *
 *   node --import tsx policies/serve.ts --policy oracle|noisy --suite tasks/swe-mini --port 8100 [--noise 0.3]
 *
 * Prints the base URL (…/v1) once listening; stops on SIGINT / SIGTERM.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadSuite } from '../env/swe/instances';
import { noisyPolicy } from './noisy';
import { oraclePolicy } from './oracle';
import { startPolicyServer } from './server';

function number(min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

async function main() {
  const program = new Command()
    .name('serve')
    .description('Serve the bundled oracle teacher or noisy student on the OpenAI chat-completions protocol')
    .requiredOption('--policy <name>', 'oracle or noisy')
    .requiredOption('--suite <dir>', 'bundled suite directory holding instances.jsonl')
    .option('--port <n>', 'port (0 = any free port)', number(0, 65535), 8100)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--name <model>', 'served model name (default: the policy name)')
    .option('--noise <p>', 'noisy: probability of an off-track action per call', number(0, 1), 0.3)
    .option('--seed <n>', 'noisy: seed for requests that carry none', number(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), 0)
    .option('--max-context-tokens <n>', 'refuse longer prompts with context_length_exceeded', number(1, Number.MAX_SAFE_INTEGER))
    .option('--latency-ms <n>', 'simulated model latency: answer each completion this long after its request arrived', number(0, 3_600_000), 0)
    .parse();
  const opts = program.opts<{ policy: string; suite: string; port: number; host: string; name?: string; noise: number; seed: number; maxContextTokens?: number; latencyMs: number }>();
  const tasks = loadSuite(opts.suite).instances;
  if (opts.policy !== 'oracle' && opts.policy !== 'noisy') program.error(`--policy must be oracle or noisy, got "${opts.policy}"`);
  const policy = opts.policy === 'oracle' ? oraclePolicy(tasks) : noisyPolicy(tasks, { p: opts.noise, defaultSeed: opts.seed });
  const server = await startPolicyServer({ policy, name: opts.name ?? opts.policy, port: opts.port, host: opts.host, maxContextTokens: opts.maxContextTokens, latencyMs: opts.latencyMs });
  process.stdout.write(`${opts.policy} policy for ${tasks.length} tasks of ${opts.suite} listening on ${server.url}\n`);
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`serve: ${(err as Error).message}\n`);
  process.exit(1);
});
