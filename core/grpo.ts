/**
 * GRPO's outcome reward and group-normalised advantages. Pure: the aggregation reads the trajectories and calls
 * these; the trainer's objective.py has the same advantage formula (trainer/agent_dagger_trainer/objective.py,
 * group_advantages), and test/grpo.test.ts checks the two agree.
 */
import type { VerificationSummary } from './types';

/** GRPO's defaults (config algorithm.groupSize, klCoef, clipEpsilon): G rollouts per task, no KL term, PPO's clip range. */
export const GRPO_DEFAULTS = { groupSize: 8, klCoef: 0, clipEpsilon: 0.2 } as const;

/** verl's and TRL's guard against a zero standard deviation (groups without variance are skipped before it matters). */
export const ADVANTAGE_EPS = 1e-6;

/**
 * R(τ): 1 when the verifier resolved the task, else 0; null when it could not judge (no verification, or an
 * infrastructure error): such an episode says nothing about the policy and is left out of its group.
 */
export function rewardOf(verification: VerificationSummary | null): number | null {
  if (!verification || verification.error !== null) return null;
  return verification.resolved ? 1 : 0;
}

export interface GroupMember {
  /** The group: the G rollouts of one task in one iteration. */
  group: string;
  reward: number | null;
}

export interface GroupAdvantages {
  /** Per member, in input order: its advantage, or null when it is left out (no reward, or its group has no variance). */
  advantages: (number | null)[];
  /** Groups with at least two judged members whose rewards differ. */
  groupsUsed: number;
  /** Groups whose judged rewards are all equal (or fewer than two were judged): no learning signal, skipped. */
  groupsSkipped: number;
  /** Members without a reward (left out before grouping). */
  unjudged: number;
}

/**
 * A_i = (R_i − mean(R_g)) / (std(R_g) + ε) within each member's group, with the sample standard deviation (Bessel's
 * correction, as verl and TRL compute it with torch.std). Groups without reward variance carry no signal and are
 * skipped and counted, as the paper notes.
 */
export function groupAdvantages(members: readonly GroupMember[]): GroupAdvantages {
  const groups = new Map<string, number[]>();
  let unjudged = 0;
  members.forEach((m, i) => {
    if (!groups.has(m.group)) groups.set(m.group, []);
    if (m.reward === null) unjudged++;
    else groups.get(m.group)!.push(i);
  });
  const advantages: (number | null)[] = members.map(() => null);
  let groupsUsed = 0;
  let groupsSkipped = 0;
  for (const indices of groups.values()) {
    const rewards = indices.map((i) => members[i]!.reward!);
    if (rewards.length < 2 || Math.max(...rewards) === Math.min(...rewards)) {
      groupsSkipped++;
      continue;
    }
    groupsUsed++;
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / (rewards.length - 1));
    indices.forEach((i, k) => (advantages[i] = (rewards[k]! - mean) / (std + ADVANTAGE_EPS)));
  }
  return { advantages, groupsUsed, groupsSkipped, unjudged };
}
