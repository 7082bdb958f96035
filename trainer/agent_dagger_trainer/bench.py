"""`bench --out DIR [--profile quick|gpu]`: the trainer's speed and memory, measured side by side in one run.

What it measures (each result is one JSON line on stdout and all of them end up in DIR/bench.json):

- `equivalence`: on the bench's device, in fp32, the loss and gradients of one trajectory trained with prefix-tree
  packing against the naive per-transition expansion (relative error; ALGORITHM.md's packing contract);
- `throughput`: for each model case, one optimizer step per trajectory over the same synthetic SWE-like trajectories
  (multi-turn, β = 0.5 mixture of teacher- and student-executed turns), once packed as a tree and once expanded
  naively: tokens processed per second, label tokens per second, seconds per trajectory, peak GPU memory, and the
  naive/tree time ratio (the speed-up packing buys at the same gradient);
- `train_command` (gpu profile): the real `train` command end to end on the device (checkpoints, final model);
- `serve` (gpu profile): the bundled server on the device answering one chat request with the trained model.

Model cases are created from scratch (no downloads): a small Llama-style model trained fully, and — on CUDA — the
Qwen3-4B architecture (random weights, the paper's 4B student shape) trained with LoRA in bf16 with gradient
checkpointing. Random weights cost the same FLOPs and memory as trained ones, so the numbers carry over.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import urllib.request

import torch

from .config import validate_config
from .dataset import build_sequences, render_trajectory
from .events import emit
from .model import SYNTHETIC_TOOLS, init_model
from .objective import label_loss_sum
from .packing import collate, rows
from .templates import load_spec
from .train import prepare_model, train_step

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


def equivalence(model, tokenizer, spec, device: torch.device, turns: int) -> dict:
    """Packed vs naive loss and gradients of one trajectory, fp32 on the device."""
    rendered = render_trajectory(tokenizer, spec, synthetic_trajectory(7, turns, observation_lines=6))
    model = model.to(device, torch.float32)
    results = {}
    for packing in ('tree', 'none'):
        sequences, _, _ = build_sequences([rendered], packing, 1 << 20)
        model.zero_grad(set_to_none=True)
        total = torch.zeros((), device=device)
        for group in rows(sequences, 1 << 20):
            loss = label_loss_sum(model, collate(group, device))
            loss.backward()
            total += loss.detach()
        grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])
        results[packing] = (total.item(), grads.detach().clone())
    (tree_loss, tree_grad), (naive_loss, naive_grad) = results['tree'], results['none']
    return {'loss_rel_error': abs(tree_loss - naive_loss) / abs(naive_loss),
            'grad_rel_error': ((tree_grad - naive_grad).norm() / naive_grad.norm()).item(),
            'transitions': len(rendered.transitions), 'device': str(device)}


def throughput(name: str, model, config: dict, trajectories, device: torch.device, naive_limit: int) -> dict:
    """One optimizer step per trajectory, tree-packed and naive, on the same trajectories; returns both timings."""
    autocast = torch.bfloat16 if config['dtype'] == 'bf16' else None
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=1e-5)
    model.train()
    result: dict = {'case': name, 'method': config['method'], 'dtype': config['dtype'],
                    'gradient_checkpointing': config['gradient_checkpointing'],
                    'parameters': sum(p.numel() for p in model.parameters()),
                    'trainable_parameters': sum(p.numel() for p in parameters), 'device': str(device)}
    for packing in ('tree', 'none') if naive_limit else ('tree',):
        chosen = trajectories if packing == 'tree' else trajectories[:naive_limit]
        batches = [build_sequences([t], packing, config['max_seq_len'])[0] for t in chosen]
        train_step(model, optimizer, batches[0], config, device, autocast, parameters)  # warm-up (kernels, allocator)
        _sync(device)
        if device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(device)
        started = time.perf_counter()
        for batch in batches:
            train_step(model, optimizer, batch, config, device, autocast, parameters)
        _sync(device)
        seconds = time.perf_counter() - started
        tokens = sum(len(s) for batch in batches for s in batch)
        labels = sum(len(s.loss_targets) for batch in batches for s in batch)
        result[packing] = {'trajectories': len(batches), 'sequences': sum(len(b) for b in batches), 'tokens': tokens,
                           'label_tokens': labels, 'seconds': round(seconds, 3),
                           'seconds_per_trajectory': round(seconds / len(batches), 4),
                           'tokens_per_s': round(tokens / seconds), 'label_tokens_per_s': round(labels / seconds),
                           'peak_memory_mb': _peak_mb(device)}
    if not naive_limit:
        return result
    result['naive_over_tree_time'] = round(result['none']['seconds_per_trajectory'] /
                                           result['tree']['seconds_per_trajectory'], 2)
    result['naive_over_tree_tokens'] = round((result['none']['tokens'] / result['none']['trajectories']) /
                                             (result['tree']['tokens'] / result['tree']['trajectories']), 2)
    return result


def _qwen3_4b(vocab_size: int, device: torch.device):
    """The Qwen3-4B-Instruct-2507 architecture (its published config.json values), random weights, bf16."""
    from transformers import Qwen3Config, Qwen3ForCausalLM

    config = Qwen3Config(vocab_size=max(vocab_size, 151936), hidden_size=2560, intermediate_size=9728,
                         num_hidden_layers=36, num_attention_heads=32, num_key_value_heads=8, head_dim=128,
                         max_position_embeddings=262144, rope_theta=5_000_000, rms_norm_eps=1e-6,
                         tie_word_embeddings=True)
    config._attn_implementation = 'sdpa'
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device(device):
            return Qwen3ForCausalLM(config)
    finally:
        torch.set_default_dtype(default)


def _child_env() -> dict:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {**os.environ, 'PYTHONPATH': os.pathsep.join(p for p in (os.environ.get('PYTHONPATH'), here) if p)}


def _run_train_command(out: str, model_dir: str, dataset: str, device: str) -> dict:
    config_path = os.path.join(out, 'train-config.json')
    with open(config_path, 'w') as f:
        json.dump({'datasets': [dataset], 'model': model_dir, 'output_dir': os.path.join(out, 'train-run'),
                   'device': device, 'dtype': 'auto', 'epochs': 1, 'batch_size': 2, 'save_every_steps': 2,
                   'max_seq_len': 16384, 'lr': 1e-4}, f)
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


def run_bench(out: str, profile: str = 'quick') -> dict:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    os.makedirs(out, exist_ok=True)
    gpu = profile == 'gpu'
    device = torch.device('cuda' if gpu else 'cpu')
    if gpu and not torch.cuda.is_available():
        raise RuntimeError('profile gpu needs a CUDA device; use --profile quick on CPU')
    results: dict = {'profile': profile, 'torch': torch.__version__, 'device': str(device),
                     'gpu': torch.cuda.get_device_name(device) if gpu else None}
    import transformers

    results['transformers'] = transformers.__version__

    def record(key: str, value) -> None:
        results[key] = value
        emit({'event': 'bench', 'name': key, **(value if isinstance(value, dict) else {'value': value})})
        with open(os.path.join(out, 'bench.json'), 'w') as f:
            json.dump(results, f, indent=1)

    small_dir = os.path.join(out, 'small-model')
    shape = dict(hidden_size=768, layers=12, heads=12, kv_heads=4, vocab_size=4096) if gpu else \
        dict(hidden_size=64, layers=2, heads=4, kv_heads=2, vocab_size=512)
    if not os.path.exists(os.path.join(small_dir, 'config.json')):
        init_model(small_dir, 'chatml-json', [], context=32768, **shape)
    tokenizer = AutoTokenizer.from_pretrained(small_dir)
    spec = load_spec(small_dir, tokenizer)

    turns, lines, count, naive = (30, 16, 8, 2) if gpu else (6, 4, 2, 1)
    trajectories = [render_trajectory(tokenizer, spec, synthetic_trajectory(100 + i, turns, lines)) for i in range(count)]
    record('data', {'trajectories': count, 'turns': turns,
                    'path_tokens_per_trajectory': round(sum(len(t.path) for t in trajectories) / count),
                    'transitions_per_trajectory': round(sum(len(t.transitions) for t in trajectories) / count)})

    torch.manual_seed(0)
    small = AutoModelForCausalLM.from_pretrained(small_dir, dtype=torch.float32, attn_implementation='sdpa')
    record('equivalence', equivalence(small, tokenizer, spec, device, turns=8 if gpu else 4))

    max_len = 32768 if gpu else 8192
    full_cfg = _config(method='full', dtype='bf16' if gpu else 'fp32', max_seq_len=max_len)
    try:
        record('throughput_small_full', throughput('llama-small-full', prepare_model(small, full_cfg).to(device),
                                                   full_cfg, trajectories, device, naive))
    except torch.OutOfMemoryError as error:
        record('throughput_small_full', {'error': f'out of memory: {error}'[:500]})
    if gpu:
        del small
        torch.cuda.empty_cache()
        lora_cfg = _config(method='lora', dtype='bf16', max_seq_len=max_len, gradient_checkpointing=True,
                           lora={'r': 16, 'alpha': 32, 'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj',
                                                                         'gate_proj', 'up_proj', 'down_proj']})
        try:
            big = prepare_model(_qwen3_4b(len(tokenizer), device), lora_cfg)
            record('throughput_qwen3_4b_lora', throughput('qwen3-4b-arch-lora-r16', big, lora_cfg, trajectories, device,
                                                          1))
        except torch.OutOfMemoryError as error:
            record('throughput_qwen3_4b_lora', {'error': f'out of memory: {error}'[:500]})
        finally:
            big = None
            torch.cuda.empty_cache()
        dataset = os.path.join(out, 'bench-data.jsonl')
        with open(dataset, 'w') as f:
            for i in range(8):
                f.write(json.dumps(synthetic_trajectory(200 + i, turns, lines)) + '\n')
        record('train_command', _run_train_command(out, small_dir, dataset, 'cuda'))
        trained = os.path.join(out, 'train-run', 'model')
        if os.path.isdir(trained):
            record('serve', _run_serve(trained, 'cuda'))
    return results


def run_long(out: str, turns: int = 60, observation_lines: int = 48, count: int = 2) -> dict:
    """Profile `long` (CUDA): the Qwen3-4B shape with LoRA on long trajectories (≈ 60k tokens, the paper's context
    scale), tree-packed only — the naive expansion of such a trajectory is millions of tokens. Measures whether one
    trajectory fits in one GPU's memory with the dense tree mask, and how fast."""
    from transformers import AutoTokenizer

    os.makedirs(out, exist_ok=True)
    device = torch.device('cuda')
    results: dict = {'profile': 'long', 'torch': torch.__version__, 'gpu': torch.cuda.get_device_name(device)}
    small_dir = os.path.join(out, 'tokenizer-model')
    if not os.path.exists(os.path.join(small_dir, 'config.json')):
        init_model(small_dir, 'chatml-json', [], context=262144, hidden_size=64, layers=1, heads=4, kv_heads=2,
                   vocab_size=4096)
    tokenizer = AutoTokenizer.from_pretrained(small_dir)
    spec = load_spec(small_dir, tokenizer)
    trajectories = [render_trajectory(tokenizer, spec, synthetic_trajectory(300 + i, turns, observation_lines))
                    for i in range(count)]
    # An upper bound of a tree's length (path + every off-path label as a branch): the row must hold it whole.
    longest = max(len(t.path) + sum(len(x.label) for x in t.transitions if not x.on_path) for t in trajectories)
    results['data'] = {'trajectories': count, 'turns': turns,
                       'path_tokens_per_trajectory': round(sum(len(t.path) for t in trajectories) / count),
                       'tree_tokens_max': longest}
    emit({'event': 'bench', 'name': 'data', **results['data']})
    config = _config(method='lora', dtype='bf16', max_seq_len=1 << (longest - 1).bit_length(), gradient_checkpointing=True,
                     lora={'r': 16, 'alpha': 32, 'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj',
                                                                  'gate_proj', 'up_proj', 'down_proj']})
    try:
        model = prepare_model(_qwen3_4b(len(tokenizer), device), config)
        results['throughput_qwen3_4b_lora_long'] = throughput('qwen3-4b-arch-lora-r16-long', model, config,
                                                              trajectories, device, 0)
    except torch.OutOfMemoryError as error:
        results['throughput_qwen3_4b_lora_long'] = {'error': f'out of memory: {error}'[:800],
                                                    'peak_memory_mb': _peak_mb(device)}
    emit({'event': 'bench', 'name': 'throughput_qwen3_4b_lora_long', **results['throughput_qwen3_4b_lora_long']})
    with open(os.path.join(out, 'bench.json'), 'w') as f:
        json.dump(results, f, indent=1)
    return results


def main(out: str, profile: str) -> dict:
    if profile == 'long':
        run_long(out)
        return {'event': 'done', 'results': os.path.join(out, 'bench.json'), 'ratios': {}}
    results = run_bench(out, profile)
    return {'event': 'done', 'results': os.path.join(out, 'bench.json'),
            'ratios': {k: v.get('naive_over_tree_time') for k, v in results.items()
                       if isinstance(v, dict) and 'naive_over_tree_time' in v}}


