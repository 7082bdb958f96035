/**
 * The rules an algorithm's objective sets on the rest of the config, without zod: config/schema.ts applies them when
 * a config loads, workflows/messages.ts when a workflow receives one (both must accept exactly the same configs).
 */
import { GRPO_DEFAULTS } from './grpo';

/** What the rules read of a config (config/schema.ts has the full types). */
export interface AlgorithmRules {
  kind: string;
  beta?: { type: string; value?: number };
  objective?: 'imitation' | 'opd' | 'grpo';
  rejectionSampling?: boolean;
  groupSize?: number;
  klCoef?: number;
  clipEpsilon?: number;
}
export interface TrainerRules {
  kind: string;
  continueFromPrevious?: boolean;
  demonstrations?: unknown[];
}
export type TeacherRules = { kind: 'bundled'; name: string } | { kind: 'endpoint' | 'local'; sharesStudentTokenizer?: boolean };

/**
 * What an on-policy objective (opd, grpo) cannot be combined with: the student rolls out alone (β = 0), the
 * dataset is its own samples (no rejection sampling, no demonstrations), each step continues the policy that sampled,
 * GRPO's groups divide the iteration's episodes, and the GRPO settings belong to grpo only.
 */
export function onPolicyProblems(config: { algorithm: AlgorithmRules; rollout: { episodesPerIteration: number }; trainer: TrainerRules }): [string, string][] {
  const { algorithm } = config;
  const objective = algorithm.objective ?? 'imitation';
  const problems: [string, string][] = [];
  if (objective !== 'grpo') {
    for (const field of ['groupSize', 'klCoef', 'clipEpsilon'] as const) {
      if (algorithm[field] !== undefined) problems.push([field, `${field} is a setting of objective "grpo"; remove it or set objective: grpo`]);
    }
  }
  if (objective === 'imitation') return problems;
  const beta = algorithm.kind === 'dagger' ? algorithm.beta : undefined;
  const alone = beta?.type === 'constant' && beta.value === 0;
  if (!alone) {
    problems.push([
      algorithm.kind === 'dagger' ? 'beta' : 'kind',
      `objective "${objective}" trains on the student's own samples, so the student acts alone: use kind: dagger with beta: { type: constant, value: 0 }`,
    ]);
  }
  if (algorithm.rejectionSampling) problems.push(['rejectionSampling', `rejection sampling keeps trajectories for imitation; objective "${objective}" weighs every sample instead: remove it`]);
  const { trainer } = config;
  if (trainer.kind !== 'none' && trainer.continueFromPrevious === false) {
    problems.push(['objective', `objective "${objective}" trains the policy that sampled the iteration's data, so each step continues from the previous checkpoint: remove trainer.continueFromPrevious: false`]);
  }
  if (trainer.kind !== 'none' && (trainer.demonstrations?.length ?? 0) > 0) {
    problems.push(['objective', `objective "${objective}" trains on the student's own samples of each iteration; trainer.demonstrations are imitation data: remove them (or pre-train on them in an imitation run first)`]);
  }
  if (objective === 'grpo') {
    const g = algorithm.groupSize ?? GRPO_DEFAULTS.groupSize;
    const episodes = config.rollout.episodesPerIteration;
    if (episodes % g !== 0) {
      problems.push(['groupSize', `grpo runs groupSize (${g}) rollouts per task, and rollout.episodesPerIteration (${episodes}) is not a multiple of it: set episodesPerIteration to ${Math.max(g, Math.round(episodes / g) * g)} or change groupSize`]);
    }
  }
  return problems;
}

/**
 * Why an objective cannot run with this teacher, or undefined when it can. OPD weighs every student token by
 * log π*(a|h) − log π_θ(a|h): the teacher must score the student's own tokens, which only a model that shares the
 * student's tokenizer can (the paper: OPD "requires the logits from the teacher, which is impossible for black-box
 * LLMs"). GRPO needs no teacher.
 */
export function objectiveProblem(objective: 'imitation' | 'opd' | 'grpo', teacher: TeacherRules): string | undefined {
  if (objective !== 'opd' || (teacher.kind !== 'bundled' && teacher.sharesStudentTokenizer === true)) return undefined;
  const which =
    teacher.kind === 'bundled'
      ? `the bundled ${teacher.name} teacher is a scripted policy: it returns actions, no log-probabilities`
      : `this ${teacher.kind} teacher is not marked \`sharesStudentTokenizer: true\`, so its log-probabilities cannot score the student's tokens`;
  return (
    `objective "opd" needs the teacher's log-probability of every token the student samples, and ${which}. ` +
    'As the paper puts it, OPD "requires the logits from the teacher, which is impossible for black-box LLMs". ' +
    "Use a teacher served with the student's tokenizer (an endpoint or local model) and mark it `sharesStudentTokenizer: true`, " +
    'or use the default objective "imitation" (DAgger needs only the teacher\'s actions).'
  );
}
