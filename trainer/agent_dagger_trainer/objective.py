"""The paper's unified objective: every method is one gradient over label tokens,

    ∇ = E_{h∼d_C, a∼d_L}[ w(h, a) ∇log π_θ(a | h) ]  (+ an optional regulariser),

with a context h (a packed row gives each label token its context through the tree mask), a label a (the row's
label tokens), a weight w per label token and an optional KL regulariser to a reference policy. The methods differ
only in where contexts and labels come from (the rollouts) and in w:

- `imitation` (SFT, DAgger, AggreVaTe): the teacher's label, w = 1. The loss is the cross-entropy
  −Σ log π_θ(y_l | h, y_<l), computed exactly as before this module knew other methods.
- `opd` (on-policy distillation): the student's own tokens, w = sg(log π*(a|h) − log π_θ(a|h)) per token, the
  policy gradient of the per-token reverse KL(π_θ ‖ π*); its value Σ(log π_θ − log π*) is reported.
- `grpo`: the student's own samples, the clipped surrogate min(r·A, clip(r, 1−ε, 1+ε)·A) with
  r = exp(log π_θ − log π_behaviour) and A the group-normalised advantage of the token's trajectory, plus
  β·k3(π_θ, π_ref) with k3 = exp(log π_ref − log π_θ) − (log π_ref − log π_θ) − 1 when β > 0.

Every loss here is a sum over label tokens (the caller divides by the batch's label-token count), so a tree-packed
row gives exactly the naive per-transition sum whatever the weights (trainer/tests/test_packing.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from .packing import Row

METHODS = ('imitation', 'opd', 'grpo')
# Names of the per-label-token values a method reads (Transition.label_data -> Row.label_data).
TEACHER = 'teacher_logprob'
BEHAVIOUR = 'behaviour_logprob'
REFERENCE = 'reference_logprob'
ADVANTAGE = 'advantage'
# verl's and TRL's guard against a zero standard deviation; zero-variance groups are skipped before it matters.
ADVANTAGE_EPS = 1e-6


@dataclass(frozen=True)
class Objective:
    method: str = 'imitation'
    clip_epsilon: float = 0.2  # GRPO's ε
    kl_coef: float = 0.0  # GRPO's β: weight of the k3 KL estimator to the reference policy (0 = none)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f'objective method must be one of {list(METHODS)}, got {self.method!r}')
        if not 0 < self.clip_epsilon < 1:
            raise ValueError(f'clip_epsilon must be in (0, 1), got {self.clip_epsilon!r}')
        if not self.kl_coef >= 0:
            raise ValueError(f'kl_coef must be ≥ 0, got {self.kl_coef!r}')

    @property
    def needs(self) -> tuple[str, ...]:
        """The per-label-token values this method reads."""
        if self.method == 'opd':
            return (TEACHER,)
        if self.method == 'grpo':
            return (BEHAVIOUR, ADVANTAGE, *((REFERENCE,) if self.kl_coef > 0 else ()))
        return ()


@dataclass
class LossSum:
    """A row's loss summed over its label tokens, and the sums a step event reports (per-token means: / tokens)."""

    loss: torch.Tensor
    tokens: int
    metrics: dict[str, float] = field(default_factory=dict)


def label_logits(model, row: Row) -> torch.Tensor:
    """(N, V) float32 logits of the row's label tokens under its tree attention mask and position ids.

    Logits are computed only where a label token is predicted (`logits_to_keep`), which also lets a branch's first
    token be predicted from the last token of h_t on the path rather than from its left neighbour in the row.
    """
    output = model(
        input_ids=row.input_ids,
        attention_mask=row.attention_mask,
        position_ids=row.position_ids,
        logits_to_keep=row.loss_sources,
        use_cache=False,
    )
    return output.logits[0].float()


def label_loss_sum(model, row: Row) -> torch.Tensor:
    """Imitation: the summed negative log-likelihood of a row's label tokens, L(θ) = −Σ log π_θ(y_l | h, y_<l)."""
    return F.cross_entropy(label_logits(model, row), row.loss_targets, reduction='sum')


def objective_loss_sum(model, row: Row, objective: Objective) -> LossSum:
    """The row's loss under `objective`; imitation is `label_loss_sum`, bit for bit."""
    tokens = len(row.loss_targets)
    if objective.method == 'imitation':
        return LossSum(label_loss_sum(model, row), tokens)
    missing = [name for name in objective.needs if name not in row.label_data]
    if missing:
        raise ValueError(f'{objective.method} needs {missing} for every label token, and the row has only '
                         f'{sorted(row.label_data)}; collect them with the rollouts (docs/trainer.md, "Objectives")')
    logits = label_logits(model, row)
    logp = -F.cross_entropy(logits, row.loss_targets, reduction='none')
    return token_loss_sum(objective, logp, row.label_data)


def token_loss_sum(objective: Objective, logp: torch.Tensor, data: dict[str, torch.Tensor]) -> LossSum:
    """The method's loss from the label tokens' log-probabilities log π_θ (N,) and their values (name -> (N,))."""
    value = lambda name: data[name].to(logp.device, logp.dtype)  # noqa: E731
    tokens = len(logp)
    if objective.method == 'imitation':
        return LossSum(-logp.sum(), tokens)
    if objective.method == 'opd':
        # The weight is a constant (stop-gradient): the gradient is −Σ (log π* − log π_θ) ∇log π_θ.
        gap = value(TEACHER) - logp.detach()
        return LossSum(-(gap * logp).sum(), tokens, {'reverse_kl': float(-gap.sum())})
    ratio = torch.exp(logp - value(BEHAVIOUR))
    advantage = value(ADVANTAGE)
    low, high = 1 - objective.clip_epsilon, 1 + objective.clip_epsilon
    surrogate = torch.minimum(ratio * advantage, torch.clamp(ratio, low, high) * advantage)
    loss = -surrogate.sum()
    clipped = ((ratio.detach() > high) & (advantage > 0)) | ((ratio.detach() < low) & (advantage < 0))
    metrics = {'clipped_tokens': float(clipped.sum()), 'ratio': float(ratio.detach().sum())}
    if objective.kl_coef > 0:
        log_ref_ratio = value(REFERENCE) - logp
        k3 = torch.exp(log_ref_ratio) - log_ref_ratio - 1
        loss = loss + objective.kl_coef * k3.sum()
        metrics['kl'] = float(k3.detach().sum())
    return LossSum(loss, tokens, metrics)


@dataclass
class GroupAdvantages:
    """Per trajectory, its group-normalised advantage, or None where its group's rewards do not vary."""

    advantages: list[float | None]
    # Groups whose rewards are all equal: no learning signal, so their trajectories are left out (and counted).
    skipped_groups: int
    skipped_trajectories: int


def group_advantages(rewards: list[float], groups: list) -> GroupAdvantages:
    """GRPO's outcome advantage A_i = (R_i − mean(R_g)) / (std(R_g) + 1e-6) within each trajectory's group g (the
    rollouts of one task), with the sample standard deviation (Bessel's correction, torch.std's default, as verl and
    TRL compute it). A group with one trajectory or equal rewards has no variance: skipped and counted."""
    if len(rewards) != len(groups):
        raise ValueError(f'{len(rewards)} rewards for {len(groups)} group keys; give one group key per trajectory')
    members: dict = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    advantages: list[float | None] = [None] * len(rewards)
    skipped_groups = skipped_trajectories = 0
    for indices in members.values():
        values = [float(rewards[i]) for i in indices]
        if len(values) < 2 or max(values) == min(values):
            skipped_groups += 1
            skipped_trajectories += len(values)
            continue
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        for i, v in zip(indices, values):
            advantages[i] = (v - mean) / (std + ADVANTAGE_EPS)
    return GroupAdvantages(advantages, skipped_groups, skipped_trajectories)
