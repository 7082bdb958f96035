"""Prefix-tree packing: the packed loss and gradients equal the naive per-transition expansion, with the dense mask
and with the block-sparse FlexAttention mask (which must equal torch's own `create_block_mask` of the same rule), and
under every method of the unified objective (per-token weights travel with their label tokens)."""
import dataclasses
import random

import numpy as np
import pytest
import torch
from torch.nn.attention.flex_attention import create_block_mask, create_mask
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer.dataset import build_sequences, render_trajectory
from agent_dagger_trainer.objective import (
    ADVANTAGE, BEHAVIOUR, REFERENCE, TEACHER, Objective, label_loss_sum, objective_loss_sum)
from agent_dagger_trainer.packing import (
    RenderedTrajectory, Transition, collate, dense_tree_mask, expand_naive, pack_tree, row_intervals, rows, rows_for,
    tree_attention_allowed, tree_block_mask)
from agent_dagger_trainer.templates import load_spec
from fixtures import trajectory


def test_tree_mask_and_positions_by_hand():
    # Path p0..p5; turn A (student) branches at 2 with label [x0 x1]; turn B (teacher) is p4 p5 on the path.
    rendered = RenderedTrajectory([10, 11, 12, 13, 14, 15], [Transition(0, 2, [20, 21], False), Transition(1, 4, [14, 15], True)])
    (tree,) = pack_tree(rendered, 100)
    assert tree.input_ids.dtype == np.int32
    assert tree.input_ids.tolist() == [10, 11, 12, 13, 14, 15, 20, 21]
    assert tree.position_ids.tolist() == [0, 1, 2, 3, 4, 5, 2, 3]
    allowed = tree_attention_allowed([tree]).int().tolist()
    assert allowed[6] == [1, 1, 0, 0, 0, 0, 1, 0]  # x0 sees h_A = p0 p1 and itself
    assert allowed[7] == [1, 1, 0, 0, 0, 0, 1, 1]
    assert allowed[5] == [1, 1, 1, 1, 1, 1, 0, 0]  # the path never sees a branch
    # x0 is predicted from p1 (end of h_A), x1 from x0; p4 from p3, p5 from p4.
    assert sorted(zip(tree.loss_targets.tolist(), tree.loss_sources.tolist())) == [(4, 3), (5, 4), (6, 1), (7, 6)]
    # Two trees in one row never see each other.
    both = tree_attention_allowed([tree, tree]).int()
    assert both[8:, :8].sum() == 0 and torch.equal(both[8:, 8:], both[:8, :8])


def _loss_and_grads(model, sequences, row_tokens):
    model.zero_grad(set_to_none=True)
    label_tokens = sum(s.label_count for s in sequences)
    total = torch.zeros(())
    for group in rows(sequences, row_tokens):
        loss = label_loss_sum(model, collate(group, 'cpu')) / label_tokens
        loss.backward()
        total += loss.detach()
    return total.item(), {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize('template,max_len', [('chatml-json', 10**6), ('header-xml', 10**6), ('chatml-json', 900)])
def test_packed_loss_and_gradients_equal_naive(models, template, max_len):
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(models[template])
    spec = load_spec(models[template], tokenizer)
    model = AutoModelForCausalLM.from_pretrained(models[template], dtype=torch.float32, attn_implementation='sdpa')
    # Randomise all weights so that the check does not ride on near-uniform initial logits.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    rendered = [render_trajectory(tokenizer, spec, trajectory(seed, 6, beta=0.5)) for seed in range(3)]
    naive = [s for r in rendered for s in expand_naive(r, max_len)]
    tree = [s for r in rendered for s in pack_tree(r, max_len)]
    assert sum(s.label_count for s in tree) == sum(s.label_count for s in naive)
    if max_len < 10**6:
        assert len(tree) > len(rendered), 'max_len must split some trajectories into several trees'
    naive_loss, naive_grads = _loss_and_grads(model, naive, 2048)
    tree_loss, tree_grads = _loss_and_grads(model, tree, 2048)
    assert abs(tree_loss - naive_loss) <= 1e-5 * abs(naive_loss)
    assert naive_grads.keys() == tree_grads.keys()
    worst = max(((tree_grads[k] - naive_grads[k]).norm() / naive_grads[k].norm()).item() for k in naive_grads)
    assert worst <= 1e-5, f'worst relative gradient error {worst}'


def _with_label_data(rendered: RenderedTrajectory, rng: np.random.Generator) -> RenderedTrajectory:
    """Every label token gets a teacher, behaviour and reference log-probability; every label its advantage."""
    def data(t: Transition) -> dict:
        n = len(t.label)
        return {TEACHER: rng.uniform(-9, -4, n), BEHAVIOUR: rng.uniform(-8, -6, n), REFERENCE: rng.uniform(-9, -5, n),
                ADVANTAGE: np.full(n, rng.normal())}
    return RenderedTrajectory(rendered.path, [dataclasses.replace(t, label_data=data(t)) for t in rendered.transitions])


def _objective_loss_and_grads(model, sequences, objective):
    model.zero_grad(set_to_none=True)
    label_tokens = sum(s.label_count for s in sequences)
    total, metrics = 0.0, {}
    for sequence in sequences:
        result = objective_loss_sum(model, collate([sequence], 'cpu'), objective)
        (result.loss / label_tokens).backward()
        total += result.loss.item() / label_tokens
        for name, value in result.metrics.items():
            metrics[name] = metrics.get(name, 0.0) + value
    return total, metrics, {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize('objective', [Objective('opd'), Objective('grpo', clip_epsilon=0.2, kl_coef=0.05)],
                         ids=['opd', 'grpo-kl'])
@pytest.mark.parametrize('max_len', [10**6, 900])
def test_weighted_and_policy_gradient_losses_pack_exactly(models, objective, max_len):
    """Per-token weights and log-probabilities ride with their label tokens (on the path and on branches): the packed
    loss, its reported metrics and its gradients equal the naive per-transition sums."""
    torch.manual_seed(0)
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    spec = load_spec(directory, tokenizer)
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    rng = np.random.default_rng(0)
    rendered = [_with_label_data(render_trajectory(tokenizer, spec, trajectory(seed, 6, beta=0.5)), rng)
                for seed in range(3)]
    assert any(t.on_path for r in rendered for t in r.transitions) and any(
        not t.on_path for r in rendered for t in r.transitions), 'labels on the path and on branches'
    naive = [s for r in rendered for s in expand_naive(r, max_len)]
    tree = [s for r in rendered for s in pack_tree(r, max_len)]
    assert len(tree) < len(naive)
    # The values arrive in the loss order of each sequence: the naive sequences' values, regrouped, are the tree's.
    assert sorted(np.concatenate([s.label_data[TEACHER] for s in tree]).tolist()) == \
        sorted(np.concatenate([s.label_data[TEACHER] for s in naive]).tolist())
    naive_loss, naive_metrics, naive_grads = _objective_loss_and_grads(model, naive, objective)
    tree_loss, tree_metrics, tree_grads = _objective_loss_and_grads(model, tree, objective)
    assert abs(tree_loss - naive_loss) <= 1e-5 * abs(naive_loss), (tree_loss, naive_loss)
    assert naive_metrics.keys() == tree_metrics.keys()
    for name in naive_metrics:
        assert tree_metrics[name] == pytest.approx(naive_metrics[name], rel=1e-5, abs=1e-6), name
    if objective.method == 'grpo':
        assert 0 < naive_metrics['clipped_tokens'] < sum(s.label_count for s in naive), 'some tokens clipped, not all'
    worst = max(((tree_grads[k] - naive_grads[k]).norm() / naive_grads[k].norm()).item() for k in naive_grads)
    assert worst <= 1e-5, f'worst relative gradient error {worst}'


def test_label_data_must_match_the_label():
    with pytest.raises(ValueError, match="label_data\\['advantage'\\] has 2 values for 3 label tokens"):
        Transition(0, 2, [1, 2, 3], False, label_data={'advantage': [1.0, 2.0]})
    rendered = RenderedTrajectory(list(range(10)), [Transition(0, 2, [1], False, label_data={'advantage': [1.0]}),
                                                    Transition(1, 5, [7], False)])
    with pytest.raises(ValueError, match='label_data names differ'):
        pack_tree(rendered, 100)


def test_token_savings_on_long_trajectories(models):
    tokenizer = AutoTokenizer.from_pretrained(models['chatml-json'])
    spec = load_spec(models['chatml-json'], tokenizer)
    rendered = [render_trajectory(tokenizer, spec, trajectory(seed, 40, beta=0.5, observation_lines=12))
                for seed in range(3)]
    report = {}
    for packing in ('tree', 'none'):
        sequences, stats, naive_tokens = build_sequences(rendered, packing, 10**6)
        report[packing] = stats.tokens
    saving = report['none'] / report['tree']
    print(f"\n40-turn trajectories (beta 0.5): naive {report['none']} tokens, tree {report['tree']} tokens, "
          f'{saving:.1f}x fewer')
    assert naive_tokens == report['none']
    assert saving > 10


def _random_trajectory(rng: random.Random, turns: int) -> RenderedTrajectory:
    path, transitions = [], []
    for turn in range(turns):
        path += [rng.randrange(100) for _ in range(rng.randrange(5, 200))]
        label = [rng.randrange(100) for _ in range(rng.randrange(1, 90))]
        on_path = rng.random() < 0.5
        transitions.append(Transition(turn, len(path), label, on_path))
        path += label if on_path else [rng.randrange(100) for _ in range(rng.randrange(1, 60))]
    return RenderedTrajectory(path, transitions)


def test_block_mask_equals_torch_create_block_mask():
    rng = random.Random(0)
    # Rows of one or several trees; lengths below, at and across the 128-token block.
    for trial in range(8):
        sequences = [s for _ in range(rng.randrange(1, 4)) for s in pack_tree(_random_trajectory(rng, rng.randrange(1, 7)), 3000)]
        if trial == 0:
            sequences = [pack_tree(RenderedTrajectory(list(range(100)), [Transition(0, 60, [1] * 28, False)]), 999)[0]]
        intervals = row_intervals(sequences)
        length = len(intervals.seg_lo)
        dense = dense_tree_mask(intervals)
        ours = tree_block_mask(intervals)
        # torch's reference: create_block_mask evaluates the rule on every (q, kv) pair.
        seg_lo, path_lo, path_hi = (torch.from_numpy(np.pad(a, (0, 128))) for a in
                                    (intervals.seg_lo, intervals.path_lo, intervals.path_hi))
        reference = create_block_mask(
            lambda b, h, q, kv: (kv <= q) & ((kv >= seg_lo[q]) | ((kv >= path_lo[q]) & (kv < path_hi[q]))),
            1, None, length, length, device='cpu')

        def listed(counts, indices):
            return [sorted(indices[0, 0, i, :counts[0, 0, i]].tolist()) for i in range(counts.shape[-1])]

        assert listed(ours.kv_num_blocks, ours.kv_indices) == listed(reference.kv_num_blocks, reference.kv_indices)
        assert listed(ours.full_kv_num_blocks, ours.full_kv_indices) == \
            listed(reference.full_kv_num_blocks, reference.full_kv_indices)
        assert ours.shape == reference.shape == (1, 1, length, length)
        assert torch.equal(create_mask(ours.mask_mod, 1, 1, length, length, device='cpu')[0, 0], dense)
        if len(sequences) > 1 and length > 1024:
            assert ours.sparsity() > 50, 'blocks between trees and above the diagonal must be skipped'


def test_flex_tree_loss_equals_naive_on_cpu(models):
    """FlexAttention with the block mask, through transformers' flex_attention integration (forward only: torch has
    no flex backward pass on CPU; the gradient is checked on the device by `bench`)."""
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    spec = load_spec(directory, tokenizer)
    torch.manual_seed(0)
    dense = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
    with torch.no_grad():
        for p in dense.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    flex = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='flex_attention')
    flex.load_state_dict(dense.state_dict())
    rendered = [render_trajectory(tokenizer, spec, trajectory(seed, 6, beta=0.5)) for seed in range(3)]
    naive = [s for r in rendered for s in expand_naive(r, 10**6)]
    tree = [s for r in rendered for s in pack_tree(r, 10**6)]
    (row,) = rows_for(tree, 10**6, 'flex')
    assert len(row) == 3, 'the block mask shares one row between the trees'
    assert [[id(s) for s in r] for r in rows_for(tree, 10**6, 'dense')] == [[id(s)] for s in tree]
    with torch.no_grad():
        naive_loss = sum(label_loss_sum(dense, collate([s], 'cpu')).item() for s in naive)
        flex_loss = label_loss_sum(flex, collate(row, 'cpu', 'flex')).item()
    assert abs(flex_loss - naive_loss) <= 1e-5 * abs(naive_loss), (flex_loss, naive_loss)
