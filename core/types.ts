/**
 * Canonical, model-agnostic data of an episode (see docs/formats.md).
 *
 * Pure types only: imported by workflows, activities, the environment and (as JSON) the trainer.
 * Histories are stored in this form and rendered into each model's own chat template at training time.
 */

export const TURN_SCHEMA = 'agent-dagger/turn@1';
export const TRAJECTORY_SCHEMA = 'agent-dagger/trajectory@1';

/** A structured tool call: the name and its arguments as a JSON object. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** A chat message in canonical form (OpenAI-like, with structured tool-call arguments). */
export interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: ToolCall[];
  /** For role 'tool': the id of the call this observation answers. */
  toolCallId?: string;
}

/**
 * One action a_t: one assistant message, optional reasoning text plus one tool call.
 * `parseError` is set when the model's output held no usable tool call (it becomes an error observation).
 */
export interface Action {
  content: string;
  toolCalls: ToolCall[];
  parseError?: string;
}

/** Who executed a turn: z_t = 1 is the teacher, z_t = 0 the student. */
export type Executor = 'teacher' | 'student';

/** The observation o_t returned by the environment for an executed action. */
export interface Observation {
  /** The text as the model sees it (truncated head + tail with an elision marker when long). */
  text: string;
  /** Characters of the full output before truncation. */
  fullChars: number;
  truncated: boolean;
  /** Exit code of a shell command; null when not applicable or killed. */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** True when the action could not be executed as given (malformed call, unknown tool, bad arguments). */
  error: boolean;
}

export type EndReason =
  | 'finish' // the executed action was `finish`
  | 'max_turns' // T_max reached
  | 'context' // the history no longer fits the model's context (ours)
  | 'format_errors' // too many consecutive malformed actions
  | 'error'; // an infrastructure failure the episode could not recover from

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What one policy call produced, as stored in the run store. */
export interface PolicyOutput {
  action: Action;
  usage: TokenUsage;
  latencyMs: number;
  /** Model name or checkpoint version that answered. */
  model: string;
  /** The endpoint reported that the prompt exceeds the model's context. */
  contextExceeded: boolean;
  /** Which attempt of the activity produced it (1 = no retry was needed). */
  attempt?: number;
  /** The student's sampled tokens and their log-probabilities, when the objective trains on them (opd, grpo). */
  sampled?: SampledTokens;
}

/**
 * A completion exactly as the endpoint tokenised and sampled it (vLLM with `logprobs: true` and
 * `return_token_ids: true`): what on-policy objectives train on, since re-rendering the text may not give back the
 * same tokens.
 */
export interface SampledTokens {
  /** The prompt h_t as the endpoint rendered and tokenised it (the response's `prompt_token_ids`). */
  promptTokenIds: number[];
  /** The sampled tokens (`choices[0].token_ids`), the end-of-turn token included when it ended the generation. */
  tokenIds: number[];
  /** log π_behaviour of each sampled token (`choices[0].logprobs.content[].logprob`: raw log-softmax, before temperature and top-p). */
  logprobs: number[];
}

export const TOKEN_SCORES_SCHEMA = 'agent-dagger/token-scores@1';

/**
 * Another model's log-probabilities of every token the student sampled in one episode
 * (`episodes/<id>/scores.<scorer>.json`, written once): the teacher's for OPD, the reference policy's (the initial
 * checkpoint) for GRPO's KL term.
 */
export interface TokenScores {
  schema: typeof TOKEN_SCORES_SCHEMA;
  episodeId: string;
  scorer: TokenScorer;
  /** The model that scored (the name requests used). */
  model: string;
  /** Per student turn with sampled tokens, in turn order: log π_scorer of each sampled token given the student's own prompt. */
  turns: { turn: number; logprobs: number[] }[];
  /** Tokens scored (the sum of the turns' lengths). */
  tokens: number;
}

export type TokenScorer = 'teacher' | 'reference';

/** One visited state h_t with its teacher label a*_t and the executed action a_t. */
export interface TurnRecord {
  schema: typeof TURN_SCHEMA;
  experimentId: string;
  iteration: number;
  episodeId: string;
  taskId: string;
  turn: number;
  /** z_t: who executed this turn. */
  executor: Executor;
  /** The mixing parameter in force: β_i (DAgger-style) or the prefix length k (AggreVaTe-style). */
  mixing: { kind: 'dagger'; beta: number } | { kind: 'aggrevate'; k: number };
  /** The teacher's label a*_t (null only where labels are off, e.g. evaluation episodes). */
  label: PolicyOutput | null;
  /** The student's own proposal at h_t, when it was sampled. */
  student: PolicyOutput | null;
  /** The executed action a_t (= label.action when the teacher executed). */
  executed: Action;
  observation: Observation;
  /** Path, relative to the run directory, of the full untruncated observation, when it was truncated. */
  fullObservationRef: string | null;
}

/** A whole episode: the task prompt, the tools, every turn, the end reason and the verifier's reward. */
export interface TrajectoryRecord {
  schema: typeof TRAJECTORY_SCHEMA;
  experimentId: string;
  iteration: number;
  episodeId: string;
  taskId: string;
  /** The messages before the first action: system prompt and task prompt. */
  prompt: Message[];
  /** OpenAI function-tool definitions offered to the models. */
  tools: ToolDefinition[];
  turns: TurnRecord[];
  endReason: EndReason;
  /** R(τ) ∈ {0, 1}, or null when verification did not run. */
  reward: number | null;
  verification: VerificationSummary | null;
}

/** An OpenAI function-tool definition. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface VerificationSummary {
  resolved: boolean;
  patchApplied: boolean;
  /** Set when the verifier could not judge (infrastructure error), as opposed to a failing patch. */
  error: string | null;
  /** Path, relative to the run directory, of the full verification result. */
  ref: string | null;
}

/** The history h_t as canonical messages: the prompt, then per earlier turn the executed action and its observation. */
export function historyMessages(prompt: Message[], turns: Pick<TurnRecord, 'executed' | 'observation'>[]): Message[] {
  const messages: Message[] = [...prompt];
  for (const turn of turns) {
    messages.push(...turnMessages(turn.executed, turn.observation));
  }
  return messages;
}

/** The messages one executed turn adds to the history: the assistant action and the tool observation. */
export function turnMessages(executed: Action, observation: Observation): Message[] {
  const call = executed.toolCalls[0];
  const assistant: Message = { role: 'assistant', content: executed.content };
  if (call) assistant.toolCalls = [call];
  if (call) return [assistant, { role: 'tool', content: observation.text, toolCallId: call.id }];
  // No tool call could be parsed: the error goes back as a user message (there is no call id to answer).
  return [assistant, { role: 'user', content: observation.text }];
}

export const POLICY_SAMPLES_SCHEMA = 'agent-dagger/policy-samples@1';

/** The per-token values a policy-gradient objective reads (trainer/agent_dagger_trainer/objective.py). */
export type TokenValueName = 'teacher_logprob' | 'behaviour_logprob' | 'reference_logprob' | 'advantage';

/**
 * One episode as OPD or GRPO trains on it: a line of `datasets/iter-<i>.jsonl` for those objectives. The student's
 * own turns, token for token as the endpoint served them, each sampled token with the values the objective weighs it
 * by. The objective's settings travel with the data, so the trainer trains exactly what was collected.
 */
export interface PolicySamplesRecord {
  schema: typeof POLICY_SAMPLES_SCHEMA;
  experimentId: string;
  iteration: number;
  episodeId: string;
  taskId: string;
  objective: { method: 'opd' | 'grpo'; clipEpsilon: number; klCoef: number };
  /** The verifier's reward R(τ) (grpo.ts rewardOf), null when it could not judge. */
  reward: number | null;
  /** GRPO: the group (the G rollouts of one task) and this episode's group-normalised advantage. */
  group?: string;
  advantage?: number;
  turns: SampleTurn[];
}

export interface SampleTurn {
  turn: number;
  promptTokenIds: number[];
  tokenIds: number[];
  /** One value per sampled token, by name. */
  values: Partial<Record<TokenValueName, number[]>>;
}
