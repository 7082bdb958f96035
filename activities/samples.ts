/**
 * D_i of an on-policy objective (opd, grpo): per episode, the student's own sampled turns with the per-token values
 * the trainer weighs them by (core/policy-samples.ts), one PolicySamplesRecord per line of `datasets/iter-<i>.jsonl`.
 * GRPO's advantages come from the verifier's rewards within each group (core/grpo.ts); groups without reward variance
 * are skipped and counted. Deterministic: a retry rewrites the same file.
 */
import { diagnose } from '../core/diagnostics';
import { groupAdvantages, rewardOf } from '../core/grpo';
import { samplesRecord, sampledTurns, type OnPolicyObjective } from '../core/policy-samples';
import { effectiveSamples, type AggregateResult, type IterationCallCounts, type ObjectiveCounts } from '../core/records';
import type { TokenScores, TrajectoryRecord } from '../core/types';
import type { RunStore } from '../store/run-store';
import { episodeCallStats } from './policy-records';
import { scoresKey } from './scores';

export interface SamplesInput {
  iteration: number;
  /** The iteration's episodes, in the order their records go into D_i. */
  episodeIds: string[];
  objective: OnPolicyObjective;
  /** GRPO: the episode ids of each group (the G rollouts of one task). */
  groups?: string[][];
}

export async function aggregateSamples(store: RunStore, input: SamplesInput): Promise<AggregateResult & IterationCallCounts> {
  const { objective } = input;
  const counts: IterationCallCounts = { teacherErrors: 0, paidDuplicates: 0, calls: {} };
  const trajectories = new Map<string, TrajectoryRecord>();
  for (const episodeId of input.episodeIds) {
    const trajectory = await store.getJson<TrajectoryRecord>(store.trajectoryKey(episodeId));
    if (!trajectory) continue; // the episode failed before it had a trajectory
    trajectories.set(episodeId, trajectory);
    const calls = (counts.calls[episodeId] = episodeCallStats(trajectory));
    counts.teacherErrors += calls.teacherErrors;
    counts.paidDuplicates += calls.paidDuplicates;
  }

  // GRPO: each episode's advantage within its group; members of skipped groups are left out.
  const advantage = new Map<string, { group: string; advantage: number }>();
  const grpo: Pick<ObjectiveCounts, 'groups' | 'groupsUsed' | 'groupsSkipped' | 'unjudged'> = {};
  const groupMembers: { reward: number | null; studentTurns: number }[][] = [];
  if (objective.method === 'grpo') {
    if (!input.groups) throw new Error(`iteration ${input.iteration}: grpo aggregation needs the episodes' groups`);
    const members = input.groups.flatMap((ids, g) => ids.filter((id) => trajectories.has(id)).map((id) => ({ id, group: `g${g}`, reward: rewardOf(trajectories.get(id)!.verification) })));
    const result = groupAdvantages(members);
    members.forEach((m, i) => {
      const a = result.advantages[i];
      if (a !== null && a !== undefined) advantage.set(m.id, { group: m.group, advantage: a });
    });
    Object.assign(grpo, { groups: input.groups.length, groupsUsed: result.groupsUsed, groupsSkipped: result.groupsSkipped, unjudged: result.unjudged });
    for (const ids of input.groups) {
      groupMembers.push(ids.filter((id) => trajectories.has(id)).map((id) => ({ reward: rewardOf(trajectories.get(id)!.verification), studentTurns: sampledTurns(trajectories.get(id)!).length })));
    }
  }

  const lines: string[] = [];
  let turns = 0;
  let tokens = 0;
  let scoredTokens = 0;
  const opdTurns: { scored: boolean }[] = [];
  for (const [episodeId, trajectory] of trajectories) {
    const sampled = sampledTurns(trajectory);
    if (sampled.length === 0) continue;
    if (objective.method === 'grpo' && !advantage.has(episodeId)) continue;
    const teacher = objective.method === 'opd' ? await store.getJson<TokenScores>(scoresKey(store, episodeId, 'teacher')) : null;
    const reference = objective.method === 'grpo' && objective.klCoef > 0 ? await store.getJson<TokenScores>(scoresKey(store, episodeId, 'reference')) : null;
    const record = samplesRecord(trajectory, objective, { teacher, reference }, advantage.get(episodeId));
    if (teacher) scoredTokens += teacher.tokens;
    for (const t of record.turns) opdTurns.push({ scored: t.values.teacher_logprob !== undefined });
    turns += record.turns.length;
    tokens += record.turns.reduce((n, t) => n + t.tokenIds.length, 0);
    lines.push(JSON.stringify(record));
  }
  const key = store.datasetKey(input.iteration);
  await store.putText(key, lines.map((l) => l + '\n').join(''));
  const objectiveCounts: ObjectiveCounts = { method: objective.method, turns, tokens, ...(objective.method === 'opd' ? { scoredTokens } : grpo) };
  const samples = objective.method === 'opd' ? effectiveSamples({ kind: 'opd', studentTurns: opdTurns }) : effectiveSamples({ kind: 'grpo', groups: groupMembers });
  return {
    dataset: key,
    trajectories: trajectories.size,
    kept: lines.length,
    transitions: turns,
    effectiveSamples: samples,
    objective: objectiveCounts,
    diagnostics: diagnose([...trajectories.values()]),
    ...counts,
  };
}
