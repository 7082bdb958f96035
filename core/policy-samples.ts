/**
 * The dataset of an on-policy objective (opd, grpo): each episode's student turns, token for token as the endpoint
 * sampled them, with the per-token values the trainer's objective weighs them by (docs/formats.md, "Policy samples").
 * Pure: the aggregation reads the trajectories and the token scores and writes what this returns.
 */
import { rewardOf } from './grpo';
import { POLICY_SAMPLES_SCHEMA, type PolicySamplesRecord, type SampleTurn, type SampledTokens, type TokenScores, type TrajectoryRecord } from './types';

/** The on-policy settings the collection and the trainer share (config `algorithm`, defaults applied). */
export interface OnPolicyObjective {
  method: 'opd' | 'grpo';
  /** GRPO: rollouts per task (1 for opd). */
  groupSize: number;
  /** GRPO: β of the KL term to the reference; > 0 means the reference scored every sampled token. */
  klCoef: number;
  clipEpsilon: number;
}

/** The student's sampled turns of a trajectory, in turn order. */
export function sampledTurns(trajectory: Pick<TrajectoryRecord, 'turns'>): { turn: number; sampled: SampledTokens }[] {
  const out: { turn: number; sampled: SampledTokens }[] = [];
  for (const t of trajectory.turns) {
    const sampled = t.executor === 'student' ? t.student?.sampled : undefined;
    if (sampled) out.push({ turn: t.turn, sampled });
  }
  return out;
}

/**
 * One episode's record: every sampled student turn with its behaviour log-probabilities, and the teacher's scores
 * (opd), the reference's (grpo with klCoef > 0) and the episode's advantage (grpo) on every token. Scores that do not
 * match the sampled tokens one for one are refused: they belong to other samples.
 */
export function samplesRecord(
  trajectory: TrajectoryRecord,
  objective: OnPolicyObjective,
  scores: { teacher?: TokenScores | null; reference?: TokenScores | null },
  grpo?: { group: string; advantage: number },
): PolicySamplesRecord {
  const byTurn = (which: 'teacher' | 'reference') => {
    const record = scores[which];
    if (!record) throw new Error(`episode ${trajectory.episodeId}: the ${which}'s token scores are missing (scores.${which}.json); the iteration scores every episode before aggregating`);
    return new Map(record.turns.map((t) => [t.turn, t.logprobs]));
  };
  const teacher = objective.method === 'opd' ? byTurn('teacher') : null;
  const reference = objective.method === 'grpo' && objective.klCoef > 0 ? byTurn('reference') : null;
  const turns = sampledTurns(trajectory).map(({ turn, sampled }): SampleTurn => {
    const n = sampled.tokenIds.length;
    const scored = (map: Map<number, number[]>, which: string) => {
      const values = map.get(turn);
      if (!values || values.length !== n) {
        throw new Error(`episode ${trajectory.episodeId} turn ${turn}: the ${which} scored ${values?.length ?? 'no'} tokens of the ${n} the student sampled; delete scores.${which}.json of this episode to score it again`);
      }
      return values;
    };
    const values: SampleTurn['values'] = { behaviour_logprob: sampled.logprobs };
    if (teacher) values.teacher_logprob = scored(teacher, 'teacher');
    if (reference) values.reference_logprob = scored(reference, 'reference');
    if (grpo) values.advantage = Array.from({ length: n }, () => grpo.advantage);
    return { turn, promptTokenIds: sampled.promptTokenIds, tokenIds: sampled.tokenIds, values };
  });
  return {
    schema: POLICY_SAMPLES_SCHEMA,
    experimentId: trajectory.experimentId,
    iteration: trajectory.iteration,
    episodeId: trajectory.episodeId,
    taskId: trajectory.taskId,
    objective: { method: objective.method, clipEpsilon: objective.clipEpsilon, klCoef: objective.klCoef },
    reward: rewardOf(trajectory.verification),
    ...(grpo && { group: grpo.group, advantage: grpo.advantage }),
    turns,
  };
}
