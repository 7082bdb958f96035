"""The unified objective: each method's loss and gradient against its direct formula (float64, small tensors), the
clip boundaries and KL term of GRPO, group-normalised advantages with zero-variance groups, and imitation bit for
bit the cross-entropy the trainer always used."""
import math
import statistics

import pytest
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.objective import (
    ADVANTAGE, ADVANTAGE_EPS, BEHAVIOUR, REFERENCE, TEACHER, Objective, group_advantages, label_loss_sum,
    objective_loss_sum, token_loss_sum)
from agent_dagger_trainer.packing import collate, pack_tree
from agent_dagger_trainer.templates import load_spec
from fixtures import trajectory

D = torch.float64


def _leaf(seed: int, tokens: int = 7, vocab: int = 11):
    """Leaf logits (N, V) and targets; log π_θ of each target is a function of the logits."""
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(tokens, vocab, generator=generator, dtype=D).requires_grad_()
    targets = torch.randint(vocab, (tokens,), generator=generator)
    return logits, targets


def _logp(logits, targets):
    return torch.log_softmax(logits, -1).gather(1, targets[:, None])[:, 0]


def _expected_logit_grad(logits, targets, dloss_dlogp: list[float]) -> torch.Tensor:
    """Chain rule by hand: ∂log softmax(z)_y / ∂z = onehot(y) − softmax(z)."""
    probs = torch.softmax(logits.detach(), -1)
    onehot = F.one_hot(targets, logits.shape[1]).to(D)
    return torch.tensor(dloss_dlogp, dtype=D)[:, None] * (onehot - probs)


def _check(objective, logits, targets, data, expected_loss, dloss_dlogp):
    result = token_loss_sum(objective, _logp(logits, targets), data)
    result.loss.backward()
    assert result.loss.item() == pytest.approx(expected_loss, rel=1e-12, abs=1e-12)
    assert torch.allclose(logits.grad, _expected_logit_grad(logits, targets, dloss_dlogp), rtol=1e-10, atol=1e-12)
    return result


def test_imitation_is_the_negative_log_likelihood():
    logits, targets = _leaf(0)
    logp = [float(v) for v in _logp(logits, targets).detach()]
    result = _check(Objective(), logits, targets, {}, -sum(logp), [-1.0] * len(logp))
    assert result.tokens == len(logp)


def test_opd_is_the_reverse_kl_policy_gradient():
    logits, targets = _leaf(1)
    logp = [float(v) for v in _logp(logits, targets).detach()]
    teacher = [v + d for v, d in zip(logp, (-2.0, -0.5, 0.0, 0.3, 1.1, -3.0, 0.7))]
    # loss = −Σ sg(log π* − log π_θ)·log π_θ, so ∂loss/∂log π_θ = −(log π* − log π_θ): the weight w, negated.
    weights = [t - v for t, v in zip(teacher, logp)]
    result = _check(Objective('opd'), logits, targets, {TEACHER: torch.tensor(teacher, dtype=D)},
                    -sum(w * v for w, v in zip(weights, logp)), [-w for w in weights])
    assert result.metrics['reverse_kl'] == pytest.approx(sum(v - t for v, t in zip(logp, teacher)), rel=1e-12)


def _grpo_expected(logp, behaviour, advantage, eps, reference=None, beta=0.0):
    loss, grads, clipped = 0.0, [], 0
    for i, (lp, old, a) in enumerate(zip(logp, behaviour, advantage)):
        r = math.exp(lp - old)
        clipped_r = min(max(r, 1 - eps), 1 + eps)
        loss -= min(r * a, clipped_r * a)
        # The unclipped branch is the minimum (and so carries the gradient r·a) unless r left [1−ε, 1+ε] on the side
        # that would gain: above 1+ε with a > 0, below 1−ε with a < 0; there the clipped branch is flat.
        active = not ((a > 0 and r > 1 + eps) or (a < 0 and r < 1 - eps))
        clipped += not active
        grad = -r * a if active else 0.0
        if beta:
            d = reference[i] - lp
            loss += beta * (math.exp(d) - d - 1)
            grad += beta * (1 - math.exp(d))
        grads.append(grad)
    return loss, grads, clipped


@pytest.mark.parametrize('eps', [0.2, 0.1])
def test_grpo_clipped_surrogate_at_and_around_the_clip_boundaries(eps):
    logits, targets = _leaf(2, tokens=10)
    logp = [float(v) for v in _logp(logits, targets).detach()]
    # Ratios inside, just inside, just outside and far outside both clip edges, for positive and negative advantages.
    ratios = [1.0, 1 + eps - 1e-9, 1 + eps + 1e-9, 1.9, 1 - eps + 1e-9, 1 - eps - 1e-9, 0.3, 1 + eps + 1e-9, 0.3, 1.9]
    advantage = [0.8, 1.2, 1.2, 0.5, -0.7, -0.7, -1.5, -1.0, 2.0, -2.0]
    behaviour = [v - math.log(r) for v, r in zip(logp, ratios)]
    loss, grads, clipped = _grpo_expected(logp, behaviour, advantage, eps)
    assert clipped == 4, 'the cases must include clipped tokens on both sides'
    result = _check(Objective('grpo', clip_epsilon=eps), logits, targets,
                    {BEHAVIOUR: torch.tensor(behaviour, dtype=D), ADVANTAGE: torch.tensor(advantage, dtype=D)},
                    loss, grads)
    assert result.metrics['clipped_tokens'] == clipped


def test_grpo_with_the_k3_kl_to_a_reference():
    logits, targets = _leaf(3)
    logp = [float(v) for v in _logp(logits, targets).detach()]
    behaviour = [v + d for v, d in zip(logp, (0.0, 0.1, -0.3, 0.05, 0.4, -0.02, 0.0))]
    reference = [v + d for v, d in zip(logp, (0.5, -1.0, 0.0, 2.0, -0.2, 0.1, -3.0))]
    advantage = [1.0, -0.5, 0.25, 0.0, 1.5, -1.0, 0.7]
    loss, grads, _ = _grpo_expected(logp, behaviour, advantage, 0.2, reference, 0.04)
    result = _check(Objective('grpo', kl_coef=0.04), logits, targets,
                    {BEHAVIOUR: torch.tensor(behaviour, dtype=D), ADVANTAGE: torch.tensor(advantage, dtype=D),
                     REFERENCE: torch.tensor(reference, dtype=D)}, loss, grads)
    k3 = sum(math.exp(r - v) - (r - v) - 1 for r, v in zip(reference, logp))
    assert result.metrics['kl'] == pytest.approx(k3, rel=1e-12) and k3 > 0


def test_group_advantages_normalise_within_each_group_and_skip_zero_variance_groups():
    rewards = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0.5]
    groups = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'd', 'e']
    result = group_advantages(rewards, groups)
    # b: all 1, c: all 0 (no signal), d and e: alone (no variance).
    assert (result.skipped_groups, result.skipped_trajectories) == (4, 6)
    assert result.advantages[4:] == [None] * 6
    mean, std = statistics.mean(rewards[:4]), statistics.stdev(rewards[:4])  # the sample standard deviation
    assert result.advantages[:4] == pytest.approx([(r - mean) / (std + ADVANTAGE_EPS) for r in rewards[:4]], rel=1e-12)
    assert result.advantages[:4] == pytest.approx(
        ((torch.tensor(rewards[:4], dtype=D) - 0.5) / (torch.tensor(rewards[:4], dtype=D).std() + ADVANTAGE_EPS)).tolist())
    # A zero advantage gives zero loss and zero gradient: skipping such a group changes nothing but the token count.
    logits, targets = _leaf(4, tokens=3)
    zero = token_loss_sum(Objective('grpo'), _logp(logits, targets),
                          {BEHAVIOUR: _logp(logits, targets).detach(), ADVANTAGE: torch.zeros(3, dtype=D)})
    zero.loss.backward()
    assert zero.loss.item() == 0 and not logits.grad.any()
    with pytest.raises(ValueError, match='one group key per trajectory'):
        group_advantages([1, 0], ['a'])


def test_objective_settings_are_checked():
    for bad in ({'method': 'ppo'}, {'method': 'grpo', 'clip_epsilon': 0}, {'method': 'grpo', 'kl_coef': -1}):
        with pytest.raises(ValueError):
            Objective(**bad)
    assert Objective('grpo').needs == (BEHAVIOUR, ADVANTAGE)
    assert Objective('grpo', kl_coef=0.1).needs == (BEHAVIOUR, ADVANTAGE, REFERENCE)


def test_imitation_through_the_model_is_bit_for_bit_the_cross_entropy(models):
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
    (tree, *_) = pack_tree(render_trajectory(tokenizer, load_spec(directory, tokenizer), trajectory(0, 4, beta=0.5)),
                           10**6)
    row = collate([tree], 'cpu')
    # The loss as the trainer computed it before the unified objective existed.
    logits = model(input_ids=row.input_ids, attention_mask=row.attention_mask, position_ids=row.position_ids,
                   logits_to_keep=row.loss_sources, use_cache=False).logits[0].float()
    before = F.cross_entropy(logits, row.loss_targets, reduction='sum')
    unified = objective_loss_sum(model, row, Objective('imitation'))
    assert torch.equal(unified.loss, before) and torch.equal(label_loss_sum(model, row), before)
    assert unified.tokens == tree.label_count
    # A method whose values the row lacks says which and where they come from.
    with pytest.raises(ValueError, match=r"opd needs \['teacher_logprob'\]"):
        objective_loss_sum(model, row, Objective('opd'))
