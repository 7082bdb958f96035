/**
 * Dataset activities: the task splits an iteration draws from, the aggregation of D_i from the
 * iteration's trajectories (with rejection sampling for the SFT baseline), and iteration metrics.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeHarnessReport } from '../env/swe/harness-report';
import type { SplitConfig } from '../config/schema';
import { diagnose } from '../core/diagnostics';
import { cumulativeSums } from '../core/budget';
import { effectiveSamples, recordedEffectiveSamples, METRICS_SCHEMA, RUN_SUMMARY_SCHEMA, type AggregateResult, type IterationCallCounts, type IterationMetrics, type IterationSummary, type RunSummary } from '../core/records';
import type { TrajectoryRecord } from '../core/types';
import { RunStore } from '../store/run-store';
import { episodeCallStats, withValidLabels } from './policy-records';
import { aggregateSamples, type SamplesInput } from './samples';

export interface TaskSource {
  /** Every instance id of a suite, in file order. */
  taskIds(suite: string): string[];
  /** Refuses ids of a suite whose sandbox image is missing (env/swe/instances.ts checkImages); optional. */
  checkImages?(suite: string, ids: string[]): Promise<void>;
}

export interface AggregateInput {
  runDir: string;
  iteration: number;
  /** The iteration's episodes, in the order their records go into D_i. */
  episodeIds: string[];
  rejectionSampling: boolean;
  /** opd and grpo: D_i is the student's own samples (activities/samples.ts); absent for imitation. */
  onPolicy?: Omit<SamplesInput, 'iteration' | 'episodeIds'>;
}

export function createDatasetActivities(tasks: TaskSource) {
  return {
    /**
     * The instance ids of the train and held-out splits (held-out ids are never trained on), the ids the
     * evaluation draws from (`evaluation.split` of `evaluation.suite` when a separate suite is set, else the
     * held-out split), and those of each further evaluation suite. Ids of an evaluation suite that is the task
     * suite itself are also kept out of training.
     */
    async listTasks(input: {
      suite: string;
      train: SplitConfig;
      heldout?: SplitConfig;
      evaluation?: { suite: string; split?: SplitConfig };
      suites?: { name: string; suite: string; split: SplitConfig }[];
    }): Promise<{ train: string[]; heldout: string[]; evaluation: string[]; suites?: Record<string, string[]> }> {
      const all = tasks.taskIds(input.suite);
      const heldout = input.heldout ? resolveSplit(input.heldout, all, input.suite) : [];
      const evaluation = input.evaluation
        ? resolveSplit(input.evaluation.split ?? 'all', tasks.taskIds(input.evaluation.suite), input.evaluation.suite)
        : heldout;
      const suites: Record<string, string[]> = {};
      for (const s of input.suites ?? []) suites[s.name] = resolveSplit(s.split, tasks.taskIds(s.suite), s.suite);
      const held = new Set(heldout);
      const sameSuite = (other: string) => path.resolve(other) === path.resolve(input.suite);
      if (input.evaluation && sameSuite(input.evaluation.suite)) for (const id of evaluation) held.add(id);
      for (const s of input.suites ?? []) if (sameSuite(s.suite)) for (const id of suites[s.name]) held.add(id);
      const train = resolveSplit(input.train, all, input.suite).filter((id) => !held.has(id));
      if (train.length === 0) throw new Error(`the train split of ${input.suite} is empty (after removing held-out ids)`);
      // Before any episode runs: every image the splits need is there.
      await tasks.checkImages?.(input.suite, [...train, ...heldout]);
      if (input.evaluation) await tasks.checkImages?.(input.evaluation.suite, evaluation);
      for (const s of input.suites ?? []) await tasks.checkImages?.(s.suite, suites[s.name]);
      return { train, heldout, evaluation, ...(input.suites && { suites }) };
    },

    /** Write D_i = {(h_t, a*_t)} of the iteration's trajectories as JSON lines. Deterministic: a retry rewrites the same file. */
    async aggregate(input: AggregateInput): Promise<AggregateResult & IterationCallCounts> {
      const store = new RunStore(input.runDir);
      if (input.onPolicy) return aggregateSamples(store, { ...input.onPolicy, iteration: input.iteration, episodeIds: input.episodeIds });
      const lines: string[] = [];
      let transitions = 0;
      const all: TrajectoryRecord[] = [];
      const kept: TrajectoryRecord[] = [];
      const counts: IterationCallCounts = { teacherErrors: 0, paidDuplicates: 0, calls: {} };
      for (const episodeId of input.episodeIds) {
        const trajectory = await store.getJson<TrajectoryRecord>(store.trajectoryKey(episodeId));
        if (!trajectory) continue; // the episode failed before it had a trajectory
        all.push(trajectory);
        const calls = (counts.calls[episodeId] = episodeCallStats(trajectory));
        counts.teacherErrors += calls.teacherErrors;
        counts.paidDuplicates += calls.paidDuplicates;
        if (input.rejectionSampling && trajectory.reward !== 1) continue;
        // Only valid teacher labels are targets: a teacher error stays in the trajectory, not in D_i.
        const trainable = withValidLabels(trajectory);
        const labelled = trainable.turns.filter((t) => t.label !== null).length;
        if (labelled === 0) continue;
        transitions += labelled;
        kept.push(trainable);
        lines.push(JSON.stringify(trainable));
      }
      const file = store.datasetKey(input.iteration);
      await store.putText(file, lines.map((l) => l + '\n').join(''));
      // Imitation's effective samples. OPD and GRPO collection reports its own through the same function
      // (`effectiveSamples({ kind: 'opd' | 'grpo', … })`) and adds its objective to COUNTED_OBJECTIVES (core/records.ts).
      const samples = effectiveSamples({ kind: 'imitation', dataset: kept });
      return { dataset: file, trajectories: all.length, kept: lines.length, transitions, effectiveSamples: samples, diagnostics: diagnose(all), ...counts };
    },

    /** Write summary.json: the experiment's per-iteration results. */
    async writeRunSummary(input: { runDir: string; experimentId: string; results: IterationSummary[] }): Promise<string> {
      const store = new RunStore(input.runDir);
      const summary: RunSummary = { schema: RUN_SUMMARY_SCHEMA, experimentId: input.experimentId, iterations: input.results };
      await store.putJson('summary.json', summary);
      return store.locationOf('summary.json');
    },

    /** The SWE-bench harness's reports and predictions for a group of episodes (rollouts or evaluation). */
    writeHarnessReport,

    async recordMetrics(input: { runDir: string; iteration: number; metrics: Omit<IterationMetrics, 'schema' | 'iteration'> }): Promise<string> {
      const store = new RunStore(input.runDir);
      const file = store.metricsKey(input.iteration);
      const metrics: IterationMetrics = { schema: METRICS_SCHEMA, iteration: input.iteration, ...input.metrics };
      const count = recordedEffectiveSamples(metrics);
      if (count !== null) {
        // The sum over iterations 1 … i, from the earlier iterations' own metrics files.
        const earlier = await Promise.all(Array.from({ length: input.iteration - 1 }, (_, k) => store.getJson<IterationMetrics>(store.metricsKey(k + 1))));
        const sums = cumulativeSums([...earlier.map((m) => (m ? recordedEffectiveSamples(m) : null)), count]);
        metrics.effectiveSamples = { count, cumulative: sums[sums.length - 1] };
      }
      await store.putJson(file, metrics);
      return file;
    },
  };
}

function resolveSplit(split: SplitConfig, all: string[], suite: string): string[] {
  if (split === 'all') return all;
  const known = new Set(all);
  let ids: string[];
  if ('ids' in split) {
    ids = split.ids;
  } else {
    if (!existsSync(split.file)) throw new Error(`split file ${split.file} does not exist`);
    ids = readFileSync(split.file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  }
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`split names ids not in ${suite}: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
  return ids;
}
