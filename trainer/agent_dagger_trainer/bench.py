"""`bench --out DIR [--profile quick|gpu]`: the trainer's speed and memory, measured side by side in one run.

Each result is one JSON line on stdout; all of them end up in DIR/bench.json (rewritten after each, so a run cut
short keeps what it measured).

quick (CPU, about a minute):
- `equivalence`: the loss and gradients of one trajectory trained as a prefix tree against the naive per-transition
  expansion, fp32 (relative error; the packing contract of docs/algorithm.md);
- `throughput_small_full`: one optimizer step per trajectory, tree-packed and naive, on a tiny model;
- `render_cache`: three DAgger iterations over a growing D = D_1 ∪ … ∪ D_i, rendering time per iteration without
  and with the render cache;
- `host_memory`: bytes per million tokens of the packed training data, as Python int lists and as int32 arrays;
- `tree_attention`: one attention call over a row of tree-packed trajectories, the dense L × L mask (SDPA) against
  the block-sparse mask (FlexAttention, compiled; forward only, which is what torch runs on CPU): time, peak resident
  memory (each in its own process), the share of blocks skipped, and the largest difference of the outputs.

gpu (CUDA, under 10 minutes on one H100/H200; `scripts/gpu-bench.sh`):
- `equivalence_flex` / `equivalence_dense`: tree = naive, loss and gradients, on the device with each attention;
- `qwen3_4b_lora_13k` and `qwen3_4b_lora_60k`: the Qwen3-4B architecture (random weights: the same FLOPs and memory
  as trained ones) with LoRA r16 on all projections, bf16, on ≈ 13k- and ≈ 60k-token tree-packed trajectories, with
  the block-sparse and the dense mask: tokens/s, peak memory, and MFU — useful FLOPs (matmuls of the forward and
  backward pass a LoRA step needs, attention on the pairs the mask allows; no recomputation) over the GPU's dense
  bf16 peak;
- `train_command` and `serve`: the real `train` command on CUDA (attention "auto") and the server answering with the
  adapter it wrote.
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request

import numpy as np
import torch

from .config import validate_config
from .dataset import build_sequences, render_trajectory
from .events import emit
from .model import SYNTHETIC_TOOLS, init_model
from .objective import label_loss_sum
from .packing import Intervals, Sequence, collate, dense_tree_mask, row_intervals, rows_for, tree_block_mask
from .render_cache import CacheStats, render_all
from .templates import load_spec
from .train import attn_implementation, prepare_model, train_step

_FILES = ['calc.py', 'ops/core.py', 'ops/io.py', 'tests/test_calc.py', 'setup.cfg', 'README.md']
_WORDS = ('value result error return def class import self assert test data config parse line file path open '
          'read write none true false list dict int str len range item key index count total').split()


def _code_line(rng: random.Random) -> str:
    words = ' '.join(rng.choice(_WORDS) for _ in range(rng.randrange(3, 9)))
    return f'    {rng.choice(_WORDS)} = {words.replace(" ", "_", 2)}  # {rng.randrange(10000)}'


def _call(rng: random.Random, call_id: str, code_lines: int) -> dict:
    kind = rng.randrange(3)
    if kind == 0:
        command = rng.choice([f'grep -rn "{rng.choice(_WORDS)}" .', 'python -m pytest -q tests', 'git diff',
                              f'sed -n {rng.randrange(1, 90)},{rng.randrange(90, 200)}p {rng.choice(_FILES)}'])
        return {'id': call_id, 'name': 'execute_bash', 'arguments': {'command': command}}
    if kind == 1:
        old = '\n'.join(_code_line(rng) for _ in range(code_lines))
        new = '\n'.join(_code_line(rng) for _ in range(code_lines))
        return {'id': call_id, 'name': 'str_replace_editor',
                'arguments': {'command': 'str_replace', 'path': f'/testbed/{rng.choice(_FILES)}', 'old_str': old,
                              'new_str': new}}
    return {'id': call_id, 'name': 'think', 'arguments': {'thought': ' '.join(rng.choice(_WORDS) for _ in range(40))}}


def _policy(action: dict) -> dict:
    return {'action': action, 'usage': {}, 'latencyMs': 1, 'model': 'bench', 'contextExceeded': False}


def synthetic_trajectory(seed: int, turns: int, observation_lines: int, code_lines: int = 4, beta: float = 0.5) -> dict:
    """A SWE-like TrajectoryRecord: per turn z_t ~ Bernoulli(β); every turn has the teacher's label."""
    rng = random.Random(seed)
    records = []
    for t in range(turns):
        teacher = rng.random() < beta
        label = {'content': 'Next I check the failing test.' if rng.random() < 0.5 else '',
                 'toolCalls': [_call(rng, f't{t}', code_lines)]}
        executed = label if teacher else {'content': '', 'toolCalls': [_call(rng, f's{t}', code_lines)]}
        text = '\n'.join(_code_line(rng) for _ in range(rng.randrange(observation_lines // 2, observation_lines + 1)))
        records.append({
            'schema': 'agent-dagger/turn@1', 'turn': t, 'executor': 'teacher' if teacher else 'student',
            'mixing': {'kind': 'dagger', 'beta': beta}, 'label': _policy(label),
            'student': None if teacher else _policy(executed), 'executed': executed,
            'observation': {'text': text, 'fullChars': len(text), 'truncated': False, 'exitCode': 0,
                            'timedOut': False, 'durationMs': 1, 'error': False},
        })
    issue = ' '.join(rng.choice(_WORDS) for _ in range(120))
    return {
        'schema': 'agent-dagger/trajectory@1', 'experimentId': 'bench', 'iteration': 1, 'episodeId': f'b{seed}',
        'taskId': f'task-{seed}',
        'prompt': [{'role': 'system', 'content': 'You are a careful software engineer. ' * 20},
                   {'role': 'user', 'content': issue}],
        'tools': SYNTHETIC_TOOLS, 'turns': records, 'endReason': 'finish', 'reward': 1,
        'verification': {'resolved': True, 'patchApplied': True, 'error': None, 'ref': None},
    }



def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def _peak_mb(device: torch.device) -> int | None:
    return round(torch.cuda.max_memory_allocated(device) / 2**20) if device.type == 'cuda' else None


def _config(**overrides) -> dict:
    return validate_config({'datasets': ['-'], 'model': '-', 'output_dir': '-', **overrides}, 'bench')


def _load(directory: str, attention: str, dtype=torch.float32):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(directory, dtype=dtype, attn_implementation=attn_implementation(attention))


def equivalence(directory: str, tokenizer, spec, device: torch.device, turns: int, attention: str = 'dense') -> dict:
    """Packed (with the given attention) vs naive (dense, one row per transition): loss and gradients, fp32."""
    rendered = render_trajectory(tokenizer, spec, synthetic_trajectory(7, turns, observation_lines=6))
    results = {}
    for packing, mode in (('tree', attention), ('none', 'dense')):
        torch.manual_seed(0)
        model = _load(directory, mode).to(device)
        sequences, _, _ = build_sequences([rendered], packing, 1 << 20)
        total = torch.zeros((), device=device)
        for group in rows_for(sequences, 1 << 20, mode):
            loss = label_loss_sum(model, collate(group, device, mode))
            loss.backward()
            total += loss.detach()
        grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])
        results[packing] = (total.item(), grads.detach().clone())
    (tree_loss, tree_grad), (naive_loss, naive_grad) = results['tree'], results['none']
    return {'attention': attention, 'loss_rel_error': abs(tree_loss - naive_loss) / abs(naive_loss),
            'grad_rel_error': ((tree_grad - naive_grad).norm() / naive_grad.norm()).item(),
            'transitions': len(rendered.transitions), 'device': str(device)}


# ---- useful FLOPs ---------------------------------------------------------------------------------------------


def attended_pairs(sequences: list[Sequence]) -> int:
    """(query, key) pairs the tree mask allows: each token's own segment up to itself, plus its visible path."""
    total = 0
    for sequence in sequences:
        intervals = row_intervals([sequence])
        q = np.arange(len(sequence), dtype=np.int64)
        own = q - intervals.seg_lo + 1
        path = np.maximum(0, np.minimum(intervals.path_hi, intervals.seg_lo) - intervals.path_lo)
        total += int(own.sum() + path.sum())
    return total


# With a frozen embedding, the first layer's q/k/v projections (base and LoRA A) get an input that needs no gradient.
_NO_INPUT_GRAD = re.compile(r'\.layers\.0\.self_attn\.[qkv]_proj(\.base_layer|\.lora_A\.[^.]+)?$')


def useful_flops(model, sequences: list[Sequence]) -> dict[str, float]:
    """FLOPs a training step needs, not counting recomputation (checkpointing) or masked-out attention.

    Linear layers: 2 per weight per token forward, 2 backward for the input gradient where one is needed, and 2 for
    the weight gradient of trainable weights. The output layer runs only where a label is predicted. Attention:
    4 · head_dim · heads per allowed pair and layer forward (QKᵀ and PV), twice that backward.
    """
    config = model.config
    tokens = sum(len(s) for s in sequences)
    labels = sum(s.label_count for s in sequences)
    head = model.get_output_embeddings().weight
    frozen_input = not model.get_input_embeddings().weight.requires_grad
    per_token = 0
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear) and module.weight is not head:
            size = module.weight.numel()
            input_grad = not (frozen_input and _NO_INPUT_GRAD.search(name))
            per_token += 2 * size * (1 + input_grad + module.weight.requires_grad)
    matmul = per_token * tokens + 2 * head.numel() * (2 + head.requires_grad) * labels
    head_dim = getattr(config, 'head_dim', None) or config.hidden_size // config.num_attention_heads
    attention = 12 * head_dim * config.num_attention_heads * config.num_hidden_layers * attended_pairs(sequences)
    return {'matmul': float(matmul), 'attention': float(attention), 'total': float(matmul + attention)}


# Dense bf16 tensor-core peaks (vendor datasheets, without sparsity), matched against the CUDA device name.
_BF16_PEAK_TFLOPS = (('H100 PCIe', 756.0), ('H100', 989.4), ('H200', 989.4), ('H800', 989.4), ('A100', 312.0),
                     ('L40S', 362.1), ('B200', 2250.0))


def bf16_peak_tflops(name: str) -> float | None:
    override = os.environ.get('BENCH_PEAK_TFLOPS')
    if override:
        return float(override)
    return next((peak for key, peak in _BF16_PEAK_TFLOPS if key in name), None)


def throughput(name: str, model, config: dict, trajectories, device: torch.device, naive_limit: int,
               attention: str = 'dense', warmup: list | None = None, mfu: bool = False) -> dict:
    """One optimizer step per trajectory, tree-packed and naive, on the same trajectories; returns both timings."""
    autocast = torch.bfloat16 if config['dtype'] == 'bf16' else None
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=1e-5)
    model.train()
    result: dict = {'case': name, 'method': config['method'], 'dtype': config['dtype'], 'attention': attention,
                    'gradient_checkpointing': config['gradient_checkpointing'],
                    'parameters': sum(p.numel() for p in model.parameters()),
                    'trainable_parameters': sum(p.numel() for p in parameters), 'device': str(device)}
    peak = bf16_peak_tflops(torch.cuda.get_device_name(device)) if mfu and device.type == 'cuda' else None
    for packing in ('tree', 'none') if naive_limit else ('tree',):
        chosen = trajectories if packing == 'tree' else trajectories[:naive_limit]
        batches = [build_sequences([t], packing, config['max_seq_len'])[0] for t in chosen]
        # Warm-up: kernels, the allocator, and FlexAttention's compilation (a second length makes it dynamic).
        for batch in (warmup if warmup is not None else batches[:1]):
            train_step(model, optimizer, batch, config, device, autocast, parameters, attention)
        _sync(device)
        if device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(device)
        started = time.perf_counter()
        for batch in batches:
            train_step(model, optimizer, batch, config, device, autocast, parameters, attention)
        _sync(device)
        seconds = time.perf_counter() - started
        tokens = sum(len(s) for batch in batches for s in batch)
        labels = sum(s.label_count for batch in batches for s in batch)
        result[packing] = {'trajectories': len(batches), 'sequences': sum(len(b) for b in batches), 'tokens': tokens,
                           'label_tokens': labels, 'seconds': round(seconds, 3),
                           'seconds_per_trajectory': round(seconds / len(batches), 4),
                           'tokens_per_s': round(tokens / seconds), 'label_tokens_per_s': round(labels / seconds),
                           'peak_memory_mb': _peak_mb(device)}
        if mfu:
            counted = [useful_flops(model, batch) for batch in batches]
            flops = sum(c['total'] for c in counted)
            result[packing]['useful_tflops_per_s'] = round(flops / seconds / 1e12, 1)
            result[packing]['attention_flops_share'] = round(sum(c['attention'] for c in counted) / flops, 3)
            result[packing]['mfu'] = round(flops / seconds / 1e12 / peak, 4) if peak else None
            result[packing]['bf16_peak_tflops'] = peak
    if not naive_limit:
        return result
    result['naive_over_tree_time'] = round(result['none']['seconds_per_trajectory'] /
                                           result['tree']['seconds_per_trajectory'], 2)
    result['naive_over_tree_tokens'] = round((result['none']['tokens'] / result['none']['trajectories']) /
                                             (result['tree']['tokens'] / result['tree']['trajectories']), 2)
    return result


def _qwen3_4b(vocab_size: int, device: torch.device, attention: str):
    """The Qwen3-4B-Instruct-2507 architecture (its published config.json values), random weights, bf16."""
    from transformers import Qwen3Config, Qwen3ForCausalLM

    config = Qwen3Config(vocab_size=max(vocab_size, 151936), hidden_size=2560, intermediate_size=9728,
                         num_hidden_layers=36, num_attention_heads=32, num_key_value_heads=8, head_dim=128,
                         max_position_embeddings=262144, rope_theta=5_000_000, rms_norm_eps=1e-6,
                         tie_word_embeddings=True)
    config._attn_implementation = attn_implementation(attention)
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device(device):
            return Qwen3ForCausalLM(config)
    finally:
        torch.set_default_dtype(default)


# ---- CPU-side figures -----------------------------------------------------------------------------------------


def render_cache_bench(tokenizer, spec, iterations: int, per_iteration: int, turns: int, lines: int) -> dict:
    """Rendering time of D_1 ∪ … ∪ D_i at each iteration i, without and with the render cache."""
    datasets = [[synthetic_trajectory(500 + i * per_iteration + j, turns, lines) for j in range(per_iteration)]
                for i in range(iterations)]
    result: dict = {'iterations': iterations, 'trajectories_per_iteration': per_iteration, 'turns': turns}
    with tempfile.TemporaryDirectory() as cache:
        for mode, cache_dir in (('without_cache', None), ('with_cache', cache)):
            seconds = []
            for i in range(iterations):
                records = [r for d in datasets[: i + 1] for r in d]
                stats = CacheStats()
                started = time.perf_counter()
                render_all(tokenizer, spec, records, cache_dir, stats)
                seconds.append(round(time.perf_counter() - started, 3))
            result[mode] = {'seconds_per_iteration': seconds, 'last_rendered': stats.rendered,
                            'last_cache_hits': stats.hits}
    last = iterations - 1
    result['speedup_last_iteration'] = round(result['without_cache']['seconds_per_iteration'][last] /
                                             result['with_cache']['seconds_per_iteration'][last], 2)
    return result


def host_memory(sequences: list[Sequence]) -> dict:
    """Bytes per million tokens of the packed data: int32 arrays, and the same fields as Python int lists."""
    tokens = sum(len(s) for s in sequences)
    compact = sum(s.nbytes for s in sequences)

    def arrays(sequence: Sequence):
        for name in sequence.__dataclass_fields__:
            value = getattr(sequence, name)
            yield from value.values() if isinstance(value, dict) else (value,)

    tracemalloc.start()
    as_lists = [[a.tolist() for a in arrays(s)] for s in sequences]
    lists, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del as_lists
    per_million = lambda n: round(n / tokens * 1e6 / 2**20, 1)  # noqa: E731
    return {'tokens': tokens, 'lists_mib_per_million_tokens': per_million(lists),
            'compact_mib_per_million_tokens': per_million(compact), 'ratio': round(lists / compact, 1)}


def _rss_kib(field: str) -> int:
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ':'))


def attention_probe(intervals_file: str, kind: str, heads: int, head_dim: int, repeats: int) -> dict:
    """One attention call of the given kind over a saved row, in a process of its own; prints its measurements.

    Peak memory is the rise of the resident set over the call (the kernel's peak-RSS mark is reset after the
    warm-up call, which also compiles FlexAttention); the parent sets a fixed mmap threshold so that freed buffers go
    back to the system and every call's allocations show.
    """
    from torch.nn.attention.flex_attention import flex_attention

    with np.load(intervals_file) as data:
        intervals = Intervals(data['seg_lo'], data['path_lo'], data['path_hi'])
    length = len(intervals.seg_lo)
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, heads, length, head_dim, generator=generator) for _ in range(3))
    flex = torch.compile(flex_attention)

    def call():
        if kind == 'dense':
            mask = dense_tree_mask(intervals)[None, None]
            return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        block = tree_block_mask(intervals)
        call.sparsity = block.sparsity()
        return flex(q, k, v, block_mask=block)

    with torch.no_grad():
        out = call()
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        before = _rss_kib('VmRSS')
        started = time.perf_counter()
        for _ in range(repeats):
            out = call()
        seconds = (time.perf_counter() - started) / repeats
        peak = _rss_kib('VmHWM') - before
    np.save(intervals_file + f'.{kind}.npy', out.numpy())
    return {'seconds': round(seconds, 4), 'peak_rss_mib': round(peak / 1024, 1),
            **({'blocks_skipped_pct': round(call.sparsity, 1)} if kind == 'flex' else {})}


def tree_attention_bench(out: str, sequences: list[Sequence], heads: int = 4, head_dim: int = 64,
                         repeats: int = 2) -> dict:
    intervals = row_intervals(sequences)
    path = os.path.join(out, 'tree-row.npz')
    np.savez(path, seg_lo=intervals.seg_lo, path_lo=intervals.path_lo, path_hi=intervals.path_hi)
    result: dict = {'tokens': len(intervals.seg_lo), 'trees': len(sequences), 'heads': heads, 'head_dim': head_dim,
                    'dtype': 'fp32', 'device': 'cpu'}
    env = {**_child_env(), 'MALLOC_MMAP_THRESHOLD_': '65536'}
    for kind in ('dense', 'flex'):
        code = (f'import json; from agent_dagger_trainer.bench import attention_probe; '
                f'print(json.dumps(attention_probe({path!r}, {kind!r}, {heads}, {head_dim}, {repeats})))')
        proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env)
        if proc.returncode:
            raise RuntimeError(f'the {kind} attention probe failed: {proc.stderr[-1500:]}')
        result[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
    dense, flex = (np.load(f'{path}.{kind}.npy') for kind in ('dense', 'flex'))
    result['max_abs_difference'] = float(np.abs(dense - flex).max())
    result['dense_over_flex_time'] = round(result['dense']['seconds'] / result['flex']['seconds'], 2)
    return result


def _child_env() -> dict:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {**os.environ, 'PYTHONPATH': os.pathsep.join(p for p in (os.environ.get('PYTHONPATH'), here) if p)}


def _run_train_command(out: str, model_dir: str, dataset: str, device: str) -> dict:
    config_path = os.path.join(out, 'train-config.json')
    with open(config_path, 'w') as f:
        json.dump({'datasets': [dataset], 'model': model_dir, 'output_dir': os.path.join(out, 'train-run'),
                   'device': device, 'dtype': 'auto', 'epochs': 1, 'batch_size': 2, 'save_every_steps': 1,
                   'max_seq_len': 32768, 'lr': 1e-4, 'method': 'lora'}, f)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, '-m', 'agent_dagger_trainer', 'train', '--config', config_path],
                          capture_output=True, text=True, env=_child_env())
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith('{')]
    steps = [e for e in events if e['event'] == 'step']
    return {'exit_code': proc.returncode, 'seconds': round(time.perf_counter() - started, 1),
            'start': next((e for e in events if e['event'] == 'start'), None), 'last_step': steps[-1] if steps else None,
            'checkpoints': sum(e['event'] == 'checkpoint' for e in events), 'done': events[-1] if events else None,
            'stderr_tail': proc.stderr[-1500:] if proc.returncode else ''}


def _run_serve(model_dir: str, device: str, port: int = 8531) -> dict:
    env = _child_env()
    proc = subprocess.Popen([sys.executable, '-m', 'agent_dagger_trainer', 'serve', '--model', model_dir, '--port',
                             str(port), '--device', device, '--name', 'student'], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f'http://127.0.0.1:{port}/v1/models', timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    return {'ok': False, 'error': (proc.stderr.read() or '')[-1500:]}
                time.sleep(0.5)
        body = json.dumps({'model': 'student', 'max_tokens': 64, 'temperature': 0,
                           'messages': [{'role': 'user', 'content': 'Fix the failing test in calc.py.'}],
                           'tools': SYNTHETIC_TOOLS}).encode()
        started = time.perf_counter()
        request = urllib.request.Request(f'http://127.0.0.1:{port}/v1/chat/completions', data=body,
                                         headers={'Content-Type': 'application/json'})
        reply = json.loads(urllib.request.urlopen(request, timeout=120).read())
        return {'ok': True, 'latency_s': round(time.perf_counter() - started, 3),
                'completion_tokens': reply.get('usage', {}).get('completion_tokens'),
                'finish_reason': reply['choices'][0].get('finish_reason')}
    finally:
        proc.terminate()
        proc.wait(timeout=30)



def _recorder(out: str, results: dict):
    def record(key: str, value) -> None:
        results[key] = value
        emit({'event': 'bench', 'name': key, **(value if isinstance(value, dict) else {'value': value})})
        with open(os.path.join(out, 'bench.json'), 'w') as f:
            json.dump(results, f, indent=1)
    return record


def _header(profile: str, device: torch.device) -> dict:
    import transformers

    return {'profile': profile, 'torch': torch.__version__, 'transformers': transformers.__version__,
            'device': str(device), 'gpu': torch.cuda.get_device_name(device) if device.type == 'cuda' else None}


def _tokenizer_model(directory: str, **shape):
    from transformers import AutoTokenizer

    if not os.path.exists(os.path.join(directory, 'config.json')):
        init_model(directory, 'chatml-json', [], **shape)
    tokenizer = AutoTokenizer.from_pretrained(directory)
    return tokenizer, load_spec(directory, tokenizer)


def run_quick(out: str, turns: int = 6) -> dict:
    """CPU: tiny models; the render cache, compact data and the two tree masks side by side (`turns` sets the scale)."""
    os.makedirs(out, exist_ok=True)
    device = torch.device('cpu')
    results = _header('quick', device)
    record = _recorder(out, results)
    small_dir = os.path.join(out, 'small-model')
    tokenizer, spec = _tokenizer_model(small_dir, context=65536, hidden_size=64, layers=2, heads=4, kv_heads=2,
                                       vocab_size=512)
    trajectories = [render_trajectory(tokenizer, spec, synthetic_trajectory(100 + i, turns, 4)) for i in range(2)]
    record('data', {'trajectories': 2, 'turns': turns,
                    'path_tokens_per_trajectory': round(sum(len(t.path) for t in trajectories) / 2)})
    record('equivalence', equivalence(small_dir, tokenizer, spec, device, turns=4))
    config = _config(method='full', dtype='fp32', max_seq_len=8192)
    record('throughput_small_full', throughput('llama-small-full', prepare_model(_load(small_dir, 'dense'), config),
                                               config, trajectories, device, 1))
    record('render_cache', render_cache_bench(tokenizer, spec, iterations=3, per_iteration=3, turns=5 * turns,
                                              lines=16))
    long = [render_trajectory(tokenizer, spec, synthetic_trajectory(300 + i, 5 * turns, 16)) for i in range(2)]
    record('host_memory', host_memory(build_sequences(long, 'tree', 1 << 20)[0]))
    row = [render_trajectory(tokenizer, spec, synthetic_trajectory(400 + i, 2 * turns, 10)) for i in range(2)]
    record('tree_attention', tree_attention_bench(out, build_sequences(row, 'tree', 1 << 20)[0]))
    return results


def run_gpu(out: str) -> dict:
    """CUDA: the Qwen3-4B shape with LoRA at ≈ 13k and ≈ 60k tokens, block-sparse and dense, and the real commands."""
    if not torch.cuda.is_available():
        raise RuntimeError('profile gpu needs a CUDA device; use --profile quick on CPU')
    os.makedirs(out, exist_ok=True)
    device = torch.device('cuda')
    results = _header('gpu', device)
    results['bf16_peak_tflops'] = bf16_peak_tflops(results['gpu'])
    record = _recorder(out, results)
    small_dir = os.path.join(out, 'small-model')
    tokenizer, spec = _tokenizer_model(small_dir, context=262144, hidden_size=256, layers=4, heads=4, kv_heads=2,
                                       vocab_size=4096)
    for attention in ('flex', 'dense'):
        try:
            record(f'equivalence_{attention}', equivalence(small_dir, tokenizer, spec, device, 8, attention))
        except Exception as error:  # noqa: BLE001 - a failing case is a result; the others still run
            record(f'equivalence_{attention}', {'error': f'{type(error).__name__}: {error}'[:800]})

    # The real commands first (a minute): the deploy path is checked even if the time limit cuts the rest.
    dataset = os.path.join(out, 'bench-data.jsonl')
    with open(dataset, 'w') as f:
        for i in range(4):
            f.write(json.dumps(synthetic_trajectory(200 + i, 30, 16)) + '\n')
    trained = _run_train_command(out, small_dir, dataset, 'cuda')
    record('train_command', trained)
    model_dir = (trained.get('done') or {}).get('model_dir')
    if model_dir and os.path.isdir(model_dir):
        record('serve', _run_serve(model_dir, 'cuda'))

    short = [render_trajectory(tokenizer, spec, synthetic_trajectory(100 + i, 30, 16)) for i in range(3)]
    long = [render_trajectory(tokenizer, spec, synthetic_trajectory(300 + i, 60, 48)) for i in range(2)]
    # A row holds one whole tree: the longest tree (path + every off-path label) bounds max_seq_len.
    longest = max(len(t.path) + sum(len(x.label) for x in t.transitions if not x.on_path) for t in long)
    record('data', {'short_tokens_per_trajectory': round(sum(len(t.path) for t in short) / len(short)),
                    'long_tokens_per_trajectory': round(sum(len(t.path) for t in long) / len(long)),
                    'longest_tree': longest})
    lora = {'r': 16, 'alpha': 32,
            'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']}
    warmup = [build_sequences([t], 'tree', 1 << 20)[0] for t in short[:2]]
    # Each model is built once; the block mask first; the dense mask at 60k runs one trajectory (≈ 45 s on an H200).
    cases = [('qwen3_4b_lora_13k', short, 'flex', True), ('qwen3_4b_lora_60k', long, 'flex', True),
             ('qwen3_4b_lora_13k', short, 'flex', False), ('qwen3_4b_lora_13k', short[:2], 'dense', True),
             ('qwen3_4b_lora_60k', long[:1], 'dense', True)]
    model, built = None, None
    for name, data, attention, checkpointing in cases:
        key = f'{name}_{attention}' + ('_checkpointing' if checkpointing else '')
        config = _config(method='lora', dtype='bf16', max_seq_len=1 << (longest - 1).bit_length(),
                         gradient_checkpointing=checkpointing, lora=lora)
        try:
            if built != (attention, checkpointing):
                model = None
                torch.cuda.empty_cache()
                torch.manual_seed(0)
                model = prepare_model(_qwen3_4b(len(tokenizer), device, attention), config)
                built = (attention, checkpointing)
            record(key, throughput(key, model, config, data, device, 0, attention, warmup, mfu=True))
        except torch.OutOfMemoryError as error:
            record(key, {'error': f'out of memory: {error}'[:500], 'peak_memory_mb': _peak_mb(device)})
        except Exception as error:  # noqa: BLE001 - a failing case is a result; the others still run
            record(key, {'error': f'{type(error).__name__}: {error}'[:800]})
    return results


def main(out: str, profile: str) -> dict:
    results = run_gpu(out) if profile == 'gpu' else run_quick(out)
    return {'event': 'done', 'results': os.path.join(out, 'bench.json'),
            'ratios': {k: v.get('naive_over_tree_time') for k, v in results.items()
                       if isinstance(v, dict) and 'naive_over_tree_time' in v}}
