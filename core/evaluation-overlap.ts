/**
 * May the held-out evaluation of iteration i's checkpoint run while iteration i+1 rolls out? Both use the same
 * deployed student, so they can, unless something about iteration i+1 or the run's end needs the evaluation's
 * result first. Pure and workflow-safe.
 */
import type { AlgorithmConfig } from '../config/schema';

export interface OverlapInput {
  /** The iteration whose evaluation would be deferred. */
  iteration: number;
  iterations: number;
  algorithm: AlgorithmConfig;
  /** `evaluation.overlap` (absent in configs from before it existed: on). */
  enabled: boolean | undefined;
  /** Held-out or extra evaluation suites with episodes (nothing to defer otherwise). */
  evaluates: boolean;
  /** An effective-sample budget: it may end the run after iteration i, leaving no rollouts to overlap with. */
  budget: boolean;
  stopRequested: boolean;
}

export type OverlapDecision = { overlap: true } | { overlap: false; reason: string };

export function evaluationOverlap(input: OverlapInput): OverlapDecision {
  const no = (reason: string): OverlapDecision => ({ overlap: false, reason });
  if (input.enabled === false) return no('evaluation.overlap is off');
  if (!input.evaluates) return no('nothing to evaluate');
  if (input.iteration >= input.iterations) return no('the last iteration: no rollouts follow');
  if (input.stopRequested) return no('the experiment stops after this iteration');
  if (input.budget) return no('a budget may end the experiment after this iteration');
  // β of iteration i+1 reads iteration i's held-out success (core/schedules.ts); agreement comes from the rollouts.
  if (input.algorithm.kind === 'dagger' && input.algorithm.beta.type === 'adaptive' && input.algorithm.beta.metric === 'success') {
    return no("the next iteration's β adapts to this evaluation's success");
  }
  return { overlap: true };
}
