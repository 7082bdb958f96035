/**
 * A budget in effective samples (`core/records.ts`, `effectiveSamples`): methods compared at the same number of
 * trained state–label pairs, as the paper's Figure 1 does. Pure: the experiment workflow decides with it after each
 * iteration, and the report says with it which iteration met the budget.
 */

/** The sum of the counts up to each position; null from the first unknown count on (an unknown part makes the sum unknown). */
export function cumulativeSums(counts: readonly (number | null)[]): (number | null)[] {
  let sum: number | null = 0;
  return counts.map((c) => (sum = sum === null || c === null ? null : sum + c));
}

export interface BudgetProgress {
  /** The budget: effective samples. */
  effectiveSamples: number;
  /** Effective samples collected over the finished iterations (null when an iteration has no count). */
  cumulative: number | null;
  /** The first iteration whose cumulative count reached the budget; null while it has not. */
  metAtIteration: number | null;
}

/**
 * Where a budget of `budget` effective samples stands after the finished iterations, in order. An experiment stops
 * collecting once it is met: the iteration that reaches it is finished (its data trained on, its student evaluated),
 * and no further one starts.
 */
export function budgetProgress(budget: number, iterations: readonly { iteration: number; effectiveSamples: number | null }[]): BudgetProgress {
  const sums = cumulativeSums(iterations.map((it) => it.effectiveSamples));
  const met = sums.findIndex((s) => s !== null && s >= budget);
  return {
    effectiveSamples: budget,
    cumulative: sums.length ? sums[sums.length - 1] : 0,
    metAtIteration: met < 0 ? null : iterations[met].iteration,
  };
}
