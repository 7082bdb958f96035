"""`bench`: the measurement runs and reports tree-vs-naive numbers; checkpointing leaves the gradient unchanged."""
import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer import bench
from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.packing import collate, rows
from agent_dagger_trainer.objective import label_loss_sum
from agent_dagger_trainer.dataset import build_sequences
from agent_dagger_trainer.templates import load_spec
from agent_dagger_trainer.train import prepare_model


def test_quick_bench_measures_tree_against_naive(tmp_path):
    result = bench.main(str(tmp_path), 'quick')
    with open(result['results']) as f:
        measured = json.load(f)
    assert measured['equivalence']['loss_rel_error'] <= 1e-5 and measured['equivalence']['grad_rel_error'] <= 1e-5
    case = measured['throughput_small_full']
    for packing in ('tree', 'none'):
        assert case[packing]['tokens'] > 0 and case[packing]['seconds'] > 0 and case[packing]['tokens_per_s'] > 0
    # The naive expansion repeats every history: more tokens per trajectory than the tree.
    assert case['naive_over_tree_tokens'] > 1.5
    assert result['ratios']['throughput_small_full'] == case['naive_over_tree_time']


def _loss_and_grads(model, sequences):
    model.zero_grad(set_to_none=True)
    total = 0.0
    for group in rows(sequences, 1 << 16):
        loss = label_loss_sum(model, collate(group, 'cpu'))
        loss.backward()
        total += loss.item()
    return total, torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])


def test_gradient_checkpointing_gives_the_same_loss_and_gradients(models):
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    rendered = render_trajectory(tokenizer, load_spec(directory, tokenizer), bench.synthetic_trajectory(3, 5, 4))
    sequences, _, _ = build_sequences([rendered], 'tree', 1 << 16)
    results = []
    for checkpointing in (False, True):
        torch.manual_seed(0)
        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
        config = bench._config(method='lora', gradient_checkpointing=checkpointing,
                               lora={'r': 4, 'alpha': 8, 'target_modules': ['q_proj', 'v_proj']})
        model = prepare_model(model, config)
        model.train()
        results.append(_loss_and_grads(model, sequences))
    (loss_a, grads_a), (loss_b, grads_b) = results
    assert grads_a.numel() > 0 and grads_a.norm() > 0
    assert abs(loss_a - loss_b) / abs(loss_a) <= 1e-5
    assert ((grads_a - grads_b).norm() / grads_a.norm()).item() <= 1e-5


def test_tree_only_throughput_skips_the_naive_expansion(models):
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    rendered = [render_trajectory(tokenizer, load_spec(directory, tokenizer), bench.synthetic_trajectory(5, 3, 2))]
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
    config = bench._config(method='full', dtype='fp32', max_seq_len=1 << 14)
    result = bench.throughput('tiny', model, config, rendered, torch.device('cpu'), 0)
    packed, stats, _ = build_sequences(rendered, 'tree', 1 << 14)
    assert result['tree']['trajectories'] == 1 and result['tree']['tokens'] == stats.tokens >= len(rendered[0].path)
    assert 'none' not in result and 'naive_over_tree_time' not in result
