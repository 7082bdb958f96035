/**
 * A sweep: several experiments side by side — methods (DAgger-style, AggreVaTe-style, SFT with rejection sampling,
 * β schedules, …) × seeds — on one base experiment config, under one concurrency budget.
 *
 * The file names a base experiment config and, per method, the fields that differ from it. Every experiment shares
 * the base's policies, tasks and Temporal server (they are served once), so a method may change only what an
 * experiment decides for itself: the algorithm, iterations, rollout, evaluation and the trainer's options.
 *
 * `budget: { effectiveSamples: N }` matches the methods' budgets: every experiment stops collecting once its cumulative
 * effective samples (trained state–label pairs, core/records.ts) reach N, whatever its method, with `iterations` as
 * the cap. A method whose objective has no count is refused with the method's name.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig, parseConfig, readConfigFile, resolvePaths } from './load';
import { BudgetSchema, type ExperimentConfig } from './schema';

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,40}$/, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');

/** What a method may set: the fields an experiment decides for itself. */
const MethodSchema = z
  .object({
    algorithm: z.unknown().optional().describe('the algorithm block (validated as an experiment config)'),
    iterations: z.unknown().optional(),
    rollout: z.record(z.string(), z.unknown()).optional().describe('merged over the base rollout block'),
    evaluation: z.record(z.string(), z.unknown()).optional().describe('merged over the base evaluation block'),
    trainerOptions: z.record(z.string(), z.unknown()).optional().describe("merged over the base trainer's options"),
  })
  .strict();

export const SweepConfigSchema = z
  .object({
    name,
    base: z.string().min(1).describe('the experiment config every method starts from (relative to this file)'),
    seeds: z.array(z.number().int().min(0)).min(1).default([0]),
    methods: z.record(name, MethodSchema).refine((m) => Object.keys(m).length > 0, 'name at least one method'),
    budget: BudgetSchema.optional().describe("every experiment's budget (replaces the base config's): methods compared at matched effective samples"),
    concurrency: z
      .object({
        experiments: z.number().int().positive().default(2).describe('experiments running at once'),
        episodes: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('episodes running at once across the running experiments (default: the base rollout.concurrency)'),
      })
      .strict()
      .default({ experiments: 2 }),
  })
  .strict();

export type SweepConfig = z.infer<typeof SweepConfigSchema>;

export interface SweepExperiment {
  experimentId: string;
  method: string;
  seed: number;
  config: ExperimentConfig;
}

export interface SweepPlan {
  sweep: SweepConfig;
  /** The base config, resolved (its policies are the ones served). */
  base: ExperimentConfig;
  experiments: SweepExperiment[];
  /** Episodes at once per running experiment: the shared budget split evenly. */
  episodeConcurrency: number;
}

/** The experiment id of one method × seed of a sweep. */
export function sweepExperimentId(sweepId: string, method: string, seed: number): string {
  return `${sweepId}.${method}.s${seed}`;
}

/** Expand a sweep into its experiments: every method × seed, each a validated experiment config. */
export function planSweep(sweep: SweepConfig, base: ExperimentConfig, sweepId: string, baseDir: string): SweepPlan {
  const running = Math.min(sweep.concurrency.experiments, Object.keys(sweep.methods).length * sweep.seeds.length);
  const episodes = sweep.concurrency.episodes ?? base.rollout.concurrency;
  const episodeConcurrency = Math.max(1, Math.floor(episodes / running));
  const experiments: SweepExperiment[] = [];
  for (const [method, m] of Object.entries(sweep.methods)) {
    for (const seed of sweep.seeds) {
      const experimentId = sweepExperimentId(sweepId, method, seed);
      const raw: Record<string, unknown> = {
        ...base,
        name: `${sweep.name}-${method}`.slice(0, 63),
        seed,
        ...(m.algorithm !== undefined && { algorithm: m.algorithm }),
        ...(m.iterations !== undefined && { iterations: m.iterations }),
        ...(sweep.budget && { budget: sweep.budget }),
        rollout: { ...base.rollout, ...m.rollout, concurrency: episodeConcurrency },
        evaluation: { ...base.evaluation, ...m.evaluation },
        trainer:
          base.trainer.kind === 'none' || !m.trainerOptions
            ? base.trainer
            : { ...base.trainer, options: { ...base.trainer.options, ...m.trainerOptions } },
        // Each experiment's run directory lies in the sweep's folder.
        runRoot: path.join(base.runRoot, sweepId),
      };
      let config: ExperimentConfig;
      try {
        config = resolvePaths(parseConfig(raw, `method "${method}"`), baseDir);
      } catch (err) {
        if (err instanceof ConfigError) throw new ConfigError(`sweep ${sweep.name}, method "${method}"`, err.problems);
        throw err;
      }
      experiments.push({ experimentId, method, seed, config });
    }
  }
  return { sweep, base, experiments, episodeConcurrency };
}

/** Load and validate a sweep file and its base config; errors name the file and the field. */
export function loadSweep(file: string, sweepId?: string): SweepPlan {
  const parsed = SweepConfigSchema.safeParse(readConfigFile(file));
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`),
    );
  }
  const dir = path.dirname(path.resolve(file));
  const base = loadConfig(path.resolve(dir, parsed.data.base));
  return planSweep(parsed.data, base, sweepId ?? parsed.data.name, path.dirname(path.resolve(dir, parsed.data.base)));
}
