/**
 * Sweeps from the command line: start the sweep workflow (config/sweep.ts plans it), follow it, print the ranking.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import type { SweepPlan } from '../config/sweep';
import type { ResolvedConfig } from '../workflows/iteration';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { sweepStatusQuery, sweepWorkflow, type SweepInput, type SweepResult, type SweepStatus } from '../workflows/sweep';
import { TASK_QUEUES } from '../workflows/task-queues';
import { createRun, experimentStatus } from './experiments';
import { progressLine } from './progress';
import { recordedPorts, withInfrastructure } from './run';

/** Write every member's run directory (config.json) and start the sweep workflow; returns its input. */
export async function startSweep(client: Client, plan: SweepPlan, resolved: ResolvedConfig, sweepId: string): Promise<SweepInput> {
  const sweepDir = path.join(plan.base.runRoot, sweepId);
  const members = [];
  for (const e of plan.experiments) {
    // The policies are served once, for the base config: every member talks to the same endpoints.
    const config: ResolvedConfig = { ...e.config, student: resolved.student, teacher: resolved.teacher };
    const runDir = await createRun(config, e.experimentId);
    members.push({ experimentId: e.experimentId, method: e.method, seed: e.seed, runDir, config });
  }
  mkdirSync(sweepDir, { recursive: true });
  writeFileSync(path.join(sweepDir, 'sweep.json'), JSON.stringify(plan.sweep, null, 2) + '\n');
  const input: SweepInput = { sweepId, sweepDir, parallel: plan.sweep.concurrency.experiments, members };
  await client.workflow.start(sweepWorkflow, {
    workflowId: sweepId,
    taskQueue: TASK_QUEUES.orchestrate,
    args: [input],
    typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.sweep, value: sweepId }],
    memo: { sweepDir, methods: Object.keys(plan.sweep.methods), seeds: plan.sweep.seeds },
  });
  return input;
}

/** The sweep's members, one line each; a running member shows its live progress line when `live` has it. */
export function formatSweepStatus(status: SweepStatus, live: Map<string, string> = new Map()): string {
  const count = (s: string) => status.members.filter((m) => m.state === s).length;
  const lines = [`sweep ${status.sweepId}: ${count('done')} done, ${count('running')} running, ${count('pending')} pending, ${count('failed')} failed`];
  for (const m of status.members) {
    const success = m.finalSuccess === null ? '' : `  final success ${(m.finalSuccess * 100).toFixed(1)}%`;
    const progress = m.state === 'running' && live.has(m.experimentId) ? `  ${live.get(m.experimentId)}` : '';
    lines.push(`  ${m.experimentId.padEnd(40)} ${m.state}${success}${progress}${m.error ? `  error: ${m.error}` : ''}`);
  }
  if (status.report) lines.push(`  report: ${status.report}`);
  return lines.join('\n');
}

/** `agent-dagger sweep`: start (or attach to) a sweep with the embedded stack and follow it to its end. */
export async function runSweepJob(plan: SweepPlan, sweepId: string, options: { resume?: boolean } = {}): Promise<SweepResult> {
  let result: SweepResult | null = null;
  // Every member calls the policies served for the base config: a resumed sweep serves them where its members recorded them.
  const first = plan.experiments[0];
  const ports = options.resume && first ? recordedPorts(first.config.runRoot, first.experimentId) : undefined;
  await withInfrastructure(plan.base, () => `bin/agent-dagger sweep <sweep.yaml> --resume ${sweepId}`, async ({ policies, client, workers }) => {
    if (!options.resume) await startSweep(client, plan, policies.resolved, sweepId);
    console.log(
      `sweep ${sweepId}: ${options.resume ? 'resumed' : 'started'}: ${plan.experiments.length} experiments (${Object.keys(plan.sweep.methods).join(', ')} × seeds ${plan.sweep.seeds.join(', ')}), ` +
        `${plan.sweep.concurrency.experiments} at once, ${plan.episodeConcurrency} episodes at once each`,
    );
    let last = '';
    let stopped = false;
    void (async () => {
      while (!stopped) {
        const status = await client.workflow.getHandle(sweepId).query(sweepStatusQuery).catch(() => null);
        const live = new Map<string, string>();
        for (const m of status?.members.filter((x) => x.state === 'running') ?? []) {
          const progress = await experimentStatus(client, m.experimentId).catch(() => null);
          // The experiment's own progress line without its id (the sweep's line names it).
          if (progress) live.set(m.experimentId, progressLine(progress).replace(/^\[[^\]]*\] /, ''));
        }
        const text = status ? formatSweepStatus(status, live) : '';
        if (status && text !== last && !stopped) console.log(text);
        last = text || last;
        await new Promise((r) => setTimeout(r, 5000));
      }
    })();
    try {
      result = await Promise.race([
        client.workflow.getHandle(sweepId).result() as Promise<SweepResult>,
        workers.done.then(() => Promise.reject(new Error('the workers stopped unexpectedly'))),
      ]);
    } finally {
      stopped = true;
    }
    console.log(`\n${formatSweepStatus(result)}`);
    console.log(`ranking (best first): ${result.ranking.join(' > ')}`);
  }, ports);
  return result!;
}
