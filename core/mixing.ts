/**
 * The rollout mixture: who executes turn t (z_t = 1: the teacher). docs/algorithm.md, "Rollouts".
 *
 * - DAgger-style: z_t ~ Bernoulli(β_i), independently per turn.
 * - AggreVaTe-style: per trajectory k ~ d_i; z_t = 1 exactly when t ≥ k (student prefix, teacher completion).
 *
 * Every draw is keyed by (seed, iteration, episode, turn) so the same episode makes the same choices
 * after a crash, a retry or a replay.
 */
import { uniform, uniformInt } from './random';
import { betaAt, prefixBoundAt, type BetaSchedule, type IterationObservation, type PrefixSchedule } from './schedules';

/** The mixing in force for one episode. */
export type Mixing = { kind: 'dagger'; beta: number } | { kind: 'aggrevate'; k: number };

/** The key that names one episode's draws. */
export interface EpisodeKey {
  seed: number;
  iteration: number;
  episode: string;
}

/** z_t for turn t of the episode: true when the teacher executes. */
export function teacherExecutes(mixing: Mixing, key: EpisodeKey, turn: number): boolean {
  if (mixing.kind === 'aggrevate') return turn >= mixing.k;
  if (mixing.beta >= 1) return true;
  if (mixing.beta <= 0) return false;
  return uniform([key.seed, key.iteration, key.episode, turn, 'z']) < mixing.beta;
}

/** The episode's mixing at iteration i: β_i, or a prefix length k drawn from d_i. */
export function episodeMixing(
  algorithm: { kind: 'dagger'; beta: BetaSchedule } | { kind: 'aggrevate'; prefix: PrefixSchedule },
  key: EpisodeKey,
  observed: readonly IterationObservation[] = [],
): Mixing {
  if (algorithm.kind === 'dagger') return { kind: 'dagger', beta: betaAt(algorithm.beta, key.iteration, observed) };
  const bound = prefixBoundAt(algorithm.prefix, key.iteration);
  return { kind: 'aggrevate', k: uniformInt([key.seed, key.iteration, key.episode, 'k'], 0, bound) };
}
