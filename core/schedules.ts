/**
 * Schedules over DAgger iterations i = 1, 2, …: the mixing parameter β_i (DAgger-style) and the
 * prefix-length distribution d_i (AggreVaTe-style). A schedule is plain data; one call maps an iteration
 * to its value. Pure and workflow-safe.
 */

/** β_i schedules. `floor` bounds β from below (e.g. the appendix's max(0.6, 1 − 0.2(i−1))). */
export type BetaSchedule =
  | { type: 'constant'; value: number; floor?: number }
  /** From `start` at iteration 1 to `end` at iteration `iterations`, constant afterwards. */
  | { type: 'linear'; start: number; end: number; iterations: number; floor?: number }
  /** β_i = start · gamma^(i−1). */
  | { type: 'exponential'; start: number; gamma: number; floor?: number }
  /** β_i = values[i−1]; the last value holds afterwards. */
  | { type: 'steps'; values: number[]; floor?: number }
  /**
   * Ours (the paper anneals by hand): β_1 = start; after iteration i, β is multiplied by `factor` when the
   * observed `metric` of iteration i reached `threshold`, else it stays.
   */
  | { type: 'adaptive'; start: number; factor: number; threshold: number; metric: 'agreement' | 'success'; floor?: number };

/**
 * What an adaptive schedule observes of a finished iteration: teacher–student agreement on the visited
 * states, and the student's success (held-out evaluation when it ran, else the rollouts); null when unmeasured.
 */
export interface IterationObservation {
  agreement: number | null;
  success: number | null;
}

export function betaAt(schedule: BetaSchedule, iteration: number, observed: readonly IterationObservation[] = []): number {
  if (!Number.isInteger(iteration) || iteration < 1) throw new RangeError(`iteration must be an integer ≥ 1, got ${iteration}`);
  let beta: number;
  switch (schedule.type) {
    case 'constant':
      beta = schedule.value;
      break;
    case 'linear': {
      const span = Math.max(1, schedule.iterations - 1);
      const progress = Math.min(1, (iteration - 1) / span);
      beta = schedule.start + (schedule.end - schedule.start) * progress;
      break;
    }
    case 'exponential':
      beta = schedule.start * schedule.gamma ** (iteration - 1);
      break;
    case 'steps':
      beta = schedule.values[Math.min(iteration, schedule.values.length) - 1];
      break;
    case 'adaptive':
      beta = schedule.start;
      for (let j = 0; j < iteration - 1; j++) {
        const observation = observed[j];
        if (!observation) throw new RangeError(`an adaptive β for iteration ${iteration} needs the observations of iterations 1…${iteration - 1}`);
        const value = observation[schedule.metric];
        if (value !== null && value >= schedule.threshold) beta = Math.max(beta * schedule.factor, schedule.floor ?? 0);
      }
      break;
  }
  return clamp01(Math.max(beta, schedule.floor ?? 0));
}

/**
 * d_i for AggreVaTe-style rollouts: the student executes turns t < k, the teacher t ≥ k.
 * `uniform`: k ~ Uniform{0, …, K_i} with K_i = min(kMax, k0 + growth·(i−1)), so student prefixes grow.
 * `steps`: K_i = values[i−1] (last value holds), k ~ Uniform{0, …, K_i}.
 */
export type PrefixSchedule =
  | { type: 'uniform'; k0: number; growth: number; kMax: number }
  | { type: 'steps'; values: number[] };

/** K_i: the largest student prefix length iteration i can draw. */
export function prefixBoundAt(schedule: PrefixSchedule, iteration: number): number {
  if (!Number.isInteger(iteration) || iteration < 1) throw new RangeError(`iteration must be an integer ≥ 1, got ${iteration}`);
  switch (schedule.type) {
    case 'uniform':
      return Math.max(0, Math.min(schedule.kMax, Math.round(schedule.k0 + schedule.growth * (iteration - 1))));
    case 'steps':
      return Math.max(0, Math.round(schedule.values[Math.min(iteration, schedule.values.length) - 1]));
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
