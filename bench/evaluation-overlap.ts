/**
 * Benchmark: a small experiment's wall time with iteration i's evaluation beside iteration i+1's rollouts and
 * without (`evaluation.overlap: false`), same seed, one run each on the same stack (Temporal dev server, this
 * process's workers, the bundled oracle teacher and noisy student, Docker sandboxes). The overlapped run goes
 * first (a cold start, if any, counts against it) unless --off-first.
 *
 *   node --import tsx bench/evaluation-overlap.ts [--iterations 3] [--episodes 3] [--evaluation 3] [--concurrency 6] [--off-first]
 */
import { Command } from 'commander';
import { newExperimentId, startExperiment } from '../cli/experiments';
import { startStack, suiteIds, testConfig } from '../test/support/stack';
import { loadAverage } from './common';

async function main() {
  const opts = new Command()
    .option('--iterations <n>', 'iterations', '3')
    .option('--episodes <n>', 'rollouts per iteration', '3')
    .option('--evaluation <n>', 'held-out episodes per iteration', '3')
    .option('--concurrency <n>', 'rollout.concurrency (shared by both when they overlap)', '6')
    .option('--off-first', 'run without the overlap first')
    .parse()
    .opts();
  const [iterations, episodes, evaluation, concurrency] = [opts.iterations, opts.episodes, opts.evaluation, opts.concurrency].map(Number);
  const ids = suiteIds();
  const config = testConfig({
    iterations,
    tasks: { suite: testConfig().tasks.suite, train: { ids: ids.slice(0, 20) }, heldout: { ids: ids.slice(20) } },
    rollout: { episodesPerIteration: episodes, maxTurns: 12, concurrency, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    evaluation: { episodes: evaluation, initial: false },
  });
  const stack = await startStack(config);
  try {
    const rows: string[] = [];
    for (const overlap of opts.offFirst ? [false, true] : [true, false]) {
      const id = `${newExperimentId('bench-overlap')}-${overlap ? 'on' : 'off'}`;
      const load = loadAverage();
      const started = Date.now();
      await startExperiment(stack.client, { ...stack.policies.resolved, evaluation: { ...stack.policies.resolved.evaluation, overlap } }, id);
      const result = await stack.result(id);
      const wallS = (Date.now() - started) / 1000;
      const evalSuccess = result.results.map((r) => r.evalSuccessRate).join(', ');
      rows.push(`overlap ${overlap ? 'on ' : 'off'}: ${wallS.toFixed(1)} s wall, load average before ${load}, eval success per iteration ${evalSuccess}`);
      console.log(rows.at(-1));
    }
    console.log(`\n${iterations} iterations × (${episodes} rollouts + ${evaluation} held-out), concurrency ${concurrency}, seed ${config.seed}`);
    for (const r of rows) console.log(r);
  } finally {
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
