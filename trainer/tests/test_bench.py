"""`bench`: the measurement runs and reports its side-by-side numbers; the useful-FLOP count behind MFU agrees with
torch's own FLOP counter; checkpointing leaves the gradient unchanged."""
import json

import torch
from torch.utils.flop_counter import FlopCounterMode
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer import bench
from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.packing import collate, rows, tree_attention_allowed
from agent_dagger_trainer.objective import label_loss_sum
from agent_dagger_trainer.dataset import build_sequences
from agent_dagger_trainer.templates import load_spec
from agent_dagger_trainer.train import prepare_model


def test_quick_bench_measures_the_alternatives_side_by_side(tmp_path):
    results = bench.run_quick(str(tmp_path), turns=2)
    with open(tmp_path / 'bench.json') as f:
        assert json.load(f) == json.loads(json.dumps(results))
    assert results['equivalence']['loss_rel_error'] <= 1e-5 and results['equivalence']['grad_rel_error'] <= 1e-5
    case = results['throughput_small_full']
    for packing in ('tree', 'none'):
        assert case[packing]['tokens'] > 0 and case[packing]['seconds'] > 0 and case[packing]['tokens_per_s'] > 0
    # The naive expansion repeats every history: more tokens per trajectory than the tree.
    assert case['naive_over_tree_tokens'] > 1.5
    cache = results['render_cache']
    # Iteration i renders only D_i with the cache, all of D_1 … D_i without.
    assert (cache['with_cache']['last_rendered'], cache['with_cache']['last_cache_hits']) == (3, 6)
    assert (cache['without_cache']['last_rendered'], cache['without_cache']['last_cache_hits']) == (9, 0)
    memory = results['host_memory']
    assert memory['compact_mib_per_million_tokens'] < 20 and memory['ratio'] > 3
    attention = results['tree_attention']
    assert attention['trees'] == 2 and attention['max_abs_difference'] < 1e-4
    assert attention['dense']['seconds'] > 0 and attention['flex']['seconds'] > 0
    assert attention['flex']['blocks_skipped_pct'] > 0


def test_useful_flops_agree_with_torchs_flop_counter(models):
    """The MFU numerator: torch's counter sees every matmul of a LoRA step as autograd runs it; ours must equal it, and
    count attention on the pairs the tree mask allows (SDPA computes all L²)."""
    directory = models['chatml-json']
    tokenizer = AutoTokenizer.from_pretrained(directory)
    rendered = render_trajectory(tokenizer, load_spec(directory, tokenizer), bench.synthetic_trajectory(3, 3, 2))
    (tree,) = build_sequences([rendered], 'tree', 1 << 16)[0]
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32, attn_implementation='sdpa')
    model = prepare_model(model, bench._config(method='lora', lora={'r': 4, 'alpha': 8,
                                                                    'target_modules': ['q_proj', 'v_proj', 'up_proj']}))
    counter = FlopCounterMode(display=False)
    with counter:
        label_loss_sum(model, collate([tree], 'cpu')).backward()
    ours = bench.useful_flops(model, [tree])
    counts = {str(op): flops for op, flops in counter.get_flop_counts()['Global'].items()}
    assert abs(ours['matmul'] - counts['aten.mm']) <= 1e-9 * counts['aten.mm']
    # SDPA's forward on all L² pairs: 4 · head_dim · heads per pair and layer. (torch charges its backward 2.5×, as the
    # kernel recomputes QKᵀ; the useful count takes 2×.)
    config = model.config
    dense_forward = 4 * config.head_dim * config.num_attention_heads * config.num_hidden_layers * len(tree) ** 2
    (forward,) = [flops for op, flops in counts.items() if 'scaled_dot_product' in op and 'backward' not in op]
    assert forward == dense_forward
    allowed = int(tree_attention_allowed([tree]).sum())
    assert bench.attended_pairs([tree]) == allowed < len(tree) ** 2 / 2 + len(tree)
    assert ours['attention'] == 3 * dense_forward * allowed / len(tree) ** 2


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
