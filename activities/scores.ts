/**
 * Scoring the student's own tokens under another model: the teacher (OPD's log π*) or the reference policy, the
 * student's initial model (GRPO's KL term). One `POST /v1/completions` per student turn, the prompt being the
 * student's prompt token ids followed by its sampled token ids (exactly what the student was served and sampled, so
 * no rendering can differ), `max_tokens: 1` (vLLM's minimum) and `prompt_logprobs: 0`: the log-probability of each
 * prompt token given the tokens before it, of which the last `tokenIds.length` are the student's.
 *
 * Each turn's scores are written once as they arrive (a retry continues where a dead attempt stopped), then the
 * episode's record once (`episodes/<id>/scores.<scorer>.json`, docs/formats.md).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { EndpointPolicy } from '../config/schema';
import { TOKEN_SCORES_SCHEMA, type SampledTokens, type TokenScorer, type TokenScores } from '../core/types';
import { RunStore } from '../store/run-store';
import { classify, clientFor } from './policy';

export interface ScoreInput {
  runDir: string;
  episodeId: string;
  scorer: TokenScorer;
  policy: EndpointPolicy;
  /** The model name to request (the reference: the student's base model name). */
  model: string;
}

export interface ScoreSummary {
  /** Student turns scored. */
  turns: number;
  /** Sampled tokens scored. */
  tokens: number;
}

type TurnScores = TokenScores['turns'][number];

/** The episode's scores record in the run store. */
export function scoresKey(store: RunStore, episodeId: string, scorer: TokenScorer): string {
  return `${store.episodeKey(episodeId)}/scores.${scorer}.json`;
}

/** Score every token the student sampled in the episode; idempotent per (episode, scorer). */
export async function scoreTokens(input: ScoreInput): Promise<ScoreSummary> {
  const store = new RunStore(input.runDir);
  const key = scoresKey(store, input.episodeId, input.scorer);
  const existing = await store.getJson<TokenScores>(key);
  if (existing) return { turns: existing.turns.length, tokens: existing.tokens };
  const turns: TurnScores[] = [];
  for (const record of await store.readTurns(input.episodeId)) {
    const sampled = record.executor === 'student' ? record.student?.sampled : undefined;
    if (!sampled) continue;
    const partial = `${store.episodeKey(input.episodeId)}/scores.${input.scorer}/${record.turn}.json`;
    const done = await store.getJson<TurnScores>(partial);
    turns.push(done ?? (await store.putJsonOnce(partial, { turn: record.turn, logprobs: await scoreTurn(input, record.turn, sampled) })).value);
  }
  const scores: TokenScores = {
    schema: TOKEN_SCORES_SCHEMA,
    episodeId: input.episodeId,
    scorer: input.scorer,
    model: input.model,
    turns,
    tokens: turns.reduce((n, t) => n + t.logprobs.length, 0),
  };
  const written = (await store.putJsonOnce(key, scores)).value;
  return { turns: written.turns.length, tokens: written.tokens };
}

async function scoreTurn(input: ScoreInput, turn: number, sampled: SampledTokens): Promise<number[]> {
  if (sampled.tokenIds.length === 0) return [];
  const where = `scoring episode ${input.episodeId} turn ${turn} with the ${input.scorer} ${input.model} at ${input.policy.baseUrl}`;
  const prompt = [...sampled.promptTokenIds, ...sampled.tokenIds];
  const request = { model: input.model, prompt, max_tokens: 1, temperature: 0, prompt_logprobs: 0 };
  let response: unknown;
  try {
    response = await clientFor(input.policy).completions.create(request);
  } catch (err) {
    throw classify(err, where);
  }
  return tokenLogprobs(response, prompt, sampled.promptTokenIds.length, where);
}

/**
 * The log-probabilities of prompt[from:] from a completion's `choices[0].prompt_logprobs` (vLLM: null for the first
 * token, then per position a dict keyed by token id whose entry for the prompt's own token holds its logprob).
 */
export function tokenLogprobs(response: unknown, prompt: number[], from: number, where: string): number[] {
  const positions = (response as { choices?: { prompt_logprobs?: unknown }[] }).choices?.[0]?.prompt_logprobs;
  if (!Array.isArray(positions) || positions.length !== prompt.length) {
    throw lacking(
      `${where}: choices[0].prompt_logprobs has ${Array.isArray(positions) ? positions.length : 'no'} positions for a prompt of ${prompt.length} tokens; the scorer must be served by vLLM or the bundled server (prompt_logprobs on /v1/completions)`,
    );
  }
  return prompt.slice(from).map((token, j) => {
    const entry = (positions[from + j] as Record<string, { logprob?: unknown }> | null)?.[String(token)];
    if (typeof entry?.logprob !== 'number') throw lacking(`${where}: prompt_logprobs[${from + j}] has no log-probability for token ${token}`);
    return entry.logprob;
  });
}

/** A scorer that answers without the fields scoring needs: retrying cannot help. */
function lacking(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'ScorerLacksPromptLogprobs');
}
