/**
 * Report activities: an experiment's and a sweep's report (report/), rewritten as results come in. A report that
 * cannot be written is logged and answered with its error: it never fails the experiment whose numbers it shows.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { log } from '@temporalio/activity';
import { writeExperimentReport, writeSweepReport, type SweepManifest } from '../report';
import { writeJsonAtomic } from '../store/run-store';

export interface SweepReportInput {
  sweepId: string;
  sweepDir: string;
  experiments: { name: string; method: string; runDir: string; state: 'pending' | 'running' | 'done' | 'failed' }[];
}

export function createReportActivities() {
  return {
    async writeExperimentReport(input: { runDir: string }): Promise<{ report: string | null; error: string | null }> {
      try {
        return { report: (await writeExperimentReport(input.runDir)).html, error: null };
      } catch (err) {
        log.warn('the experiment report could not be written', { runDir: input.runDir, error: String(err) });
        return { report: null, error: String(err) };
      }
    },

    /** Write sweep-manifest.json and the sweep report over the experiments that have started; returns the ranking. */
    async writeSweepReport(input: SweepReportInput): Promise<{ report: string | null; ranking: string[]; error: string | null }> {
      mkdirSync(input.sweepDir, { recursive: true });
      const manifest: SweepManifest & { states: Record<string, string> } = {
        sweepId: input.sweepId,
        experiments: input.experiments.map((e) => ({ name: e.name, method: e.method, runDir: e.runDir.startsWith('s3://') ? e.runDir : path.relative(input.sweepDir, e.runDir) })),
        states: Object.fromEntries(input.experiments.map((e) => [e.name, e.state])),
      };
      writeJsonAtomic(path.join(input.sweepDir, 'sweep-manifest.json'), manifest);
      try {
        const started = input.experiments.filter((e) => e.state !== 'pending');
        const written = await writeSweepReport(input.sweepDir, started.map((e) => ({ name: e.name, method: e.method, runDir: e.runDir })));
        return { report: written.html, ranking: written.sweep.ranking.map((r) => r.name), error: null };
      } catch (err) {
        log.warn('the sweep report could not be written', { sweepDir: input.sweepDir, error: String(err) });
        return { report: null, ranking: [], error: String(err) };
      }
    },
  };
}
