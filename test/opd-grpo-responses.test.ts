/**
 * Reading what OPD and GRPO need out of vLLM's responses (activities/policy.ts sampledTokens, activities/scores.ts
 * tokenLogprobs), and refusing, for good and with what the endpoint must return, a response that lacks it. The
 * response shapes are vLLM's (docs/fidelity.md, "vLLM"): `prompt_token_ids` at the top of a chat completion,
 * `token_ids` and `logprobs.content[]` in its choice; `prompt_logprobs` per completion choice, null first, then per
 * position a dict keyed by token id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/activity';
import { sampledTokens } from '../activities/policy';
import { tokenLogprobs } from '../activities/scores';

const chat = {
  prompt_token_ids: [1, 5, 9],
  choices: [{ token_ids: [7, 8, 2], logprobs: { content: [{ token: 'a', logprob: -0.5 }, { token: 'b', logprob: -1.25 }, { token: '', logprob: -0.01 }] } }],
};

function refusal(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && pattern.test(err.message));
}

test('a chat completion with token ids and log-probabilities gives the sampled tokens; one without them is refused for good', () => {
  assert.deepEqual(sampledTokens(chat, 'w'), { promptTokenIds: [1, 5, 9], tokenIds: [7, 8, 2], logprobs: [-0.5, -1.25, -0.01] });
  const fix = /objectives opd and grpo need an endpoint that returns them as vLLM does with `return_token_ids: true`/;
  refusal(() => sampledTokens({ choices: [{ logprobs: chat.choices[0]!.logprobs }] }, 'student s at u (episode e, turn 0)'), /^student s at u \(episode e, turn 0\): the response has no prompt_token_ids and choices\[0\]\.token_ids/);
  refusal(() => sampledTokens({ ...chat, choices: [{ token_ids: [7, 8, 2], logprobs: null }] }, 'w'), fix);
  refusal(() => sampledTokens({ ...chat, choices: [{ ...chat.choices[0], token_ids: [7, 8] }] }, 'w'), /holds 3 log-probabilities for 2 sampled tokens/);
});

test("the scorer's log-probabilities of the student's tokens are the last positions of prompt_logprobs", () => {
  const prompt = [1, 5, 9, 7, 8];
  const response = {
    choices: [{ prompt_logprobs: [null, { '5': { logprob: -3, rank: 4 } }, { '9': { logprob: -2, rank: 2 } }, { '7': { logprob: -0.75, rank: 1 } }, { '8': { logprob: -4.5, rank: 9 }, '3': { logprob: -0.1, rank: 1 } }] }],
  };
  assert.deepEqual(tokenLogprobs(response, prompt, 3, 'w'), [-0.75, -4.5]);
  refusal(() => tokenLogprobs({ choices: [{ prompt_logprobs: null }] }, prompt, 3, 'scoring e turn 0'), /^scoring e turn 0: choices\[0\]\.prompt_logprobs has no positions for a prompt of 5 tokens/);
  const wrong = { choices: [{ prompt_logprobs: [null, {}, {}, { '6': { logprob: -1 } }, { '8': { logprob: -1 } }] }] };
  refusal(() => tokenLogprobs(wrong, prompt, 3, 'w'), /prompt_logprobs\[3\] has no log-probability for token 7/);
});
