"""Prefix-tree packing: the packed loss and gradients equal the naive per-transition expansion."""
import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer.dataset import build_sequences, render_trajectory
from agent_dagger_trainer.objective import label_loss_sum
from agent_dagger_trainer.packing import (
    RenderedTrajectory, Transition, collate, expand_naive, pack_tree, rows, tree_attention_allowed)
from agent_dagger_trainer.templates import load_spec
from fixtures import trajectory


def test_tree_mask_and_positions_by_hand():
    # Path p0..p5; turn A (student) branches at 2 with label [x0 x1]; turn B (teacher) is p4 p5 on the path.
    rendered = RenderedTrajectory([10, 11, 12, 13, 14, 15], [Transition(0, 2, [20, 21], False), Transition(1, 4, [14, 15], True)])
    (tree,) = pack_tree(rendered, 100)
    assert tree.input_ids == [10, 11, 12, 13, 14, 15, 20, 21]
    assert tree.position_ids == [0, 1, 2, 3, 4, 5, 2, 3]
    allowed = tree_attention_allowed([tree]).int().tolist()
    assert allowed[6] == [1, 1, 0, 0, 0, 0, 1, 0]  # x0 sees h_A = p0 p1 and itself
    assert allowed[7] == [1, 1, 0, 0, 0, 0, 1, 1]
    assert allowed[5] == [1, 1, 1, 1, 1, 1, 0, 0]  # the path never sees a branch
    # x0 is predicted from p1 (end of h_A), x1 from x0; p4 from p3, p5 from p4.
    assert sorted(zip(tree.loss_targets, tree.loss_sources)) == [(4, 3), (5, 4), (6, 1), (7, 6)]


def _loss_and_grads(model, sequences, row_tokens):
    model.zero_grad(set_to_none=True)
    label_tokens = sum(len(s.loss_targets) for s in sequences)
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
    assert sum(len(s.loss_targets) for s in tree) == sum(len(s.loss_targets) for s in naive)
    if max_len < 10**6:
        assert len(tree) > len(rendered), 'max_len must split some trajectories into several trees'
    naive_loss, naive_grads = _loss_and_grads(model, naive, 2048)
    tree_loss, tree_grads = _loss_and_grads(model, tree, 2048)
    assert abs(tree_loss - naive_loss) <= 1e-5 * abs(naive_loss)
    assert naive_grads.keys() == tree_grads.keys()
    worst = max(((tree_grads[k] - naive_grads[k]).norm() / naive_grads[k].norm()).item() for k in naive_grads)
    assert worst <= 1e-5, f'worst relative gradient error {worst}'


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
