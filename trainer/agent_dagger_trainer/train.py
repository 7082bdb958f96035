"""`train --config FILE.json`: supervised training on the aggregated DAgger dataset, resumable from checkpoints.

Every event is one JSON line on stdout (start, step, checkpoint, done, or error); logs go to stderr. Started again
with the same config, a run resumes from its last checkpoint (model, optimizer, scheduler, RNG states, step and data
order), so a retried Temporal activity continues instead of restarting and ends with the same model as an
uninterrupted run. A finished run answers `done` again without training.
"""
from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from dataclasses import dataclass

import torch

from .config import ConfigError, config_hash, render_cache_dir
from .dataset import build_sequences, dataset_objective, load_trajectories, samples_trajectories
from .events import emit
from .objective import Objective, label_loss_sum, objective_loss_sum
from .packing import Sequence, collate, flex_available, rows_for
from .render_cache import CacheStats, render_all
from .templates import load_spec

CHECKPOINTS = 'checkpoints'
DONE_FILE = 'done.json'
_KEEP_CHECKPOINTS = 2


# ---- model ----------------------------------------------------------------------------------------------------


def resolve_device(config: dict) -> torch.device:
    if config['device'] == 'cuda' and not torch.cuda.is_available():
        raise ConfigError('device is "cuda" but no CUDA device is visible; use "auto" or "cpu"')
    if config['device'] == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    return torch.device(config['device'])


def resolve_autocast(config: dict, device: torch.device) -> torch.dtype | None:
    """bf16 autocast over fp32 master weights, or None for plain fp32."""
    if config['dtype'] == 'bf16':
        return torch.bfloat16
    if config['dtype'] == 'auto' and device.type == 'cuda' and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return None


def resolve_attention(config: dict, device: torch.device) -> str:
    """'flex' (block-sparse tree mask, FlexAttention) or 'dense' (L × L boolean mask, SDPA)."""
    if config['attention'] == 'flex':
        if not flex_available():
            raise ConfigError(f'attention is "flex" but torch {torch.__version__} has no flex_attention; use "dense" or "auto"')
        if device.type == 'cpu':
            raise ConfigError('attention is "flex" but FlexAttention has no backward pass on CPU; use "dense" or "auto"')
        return 'flex'
    if config['attention'] == 'auto':
        return 'flex' if device.type == 'cuda' and flex_available() else 'dense'
    return 'dense'


def attn_implementation(attention: str) -> str:
    return 'flex_attention' if attention == 'flex' else 'sdpa'


def is_adapter_dir(path: str | None) -> bool:
    return bool(path) and os.path.exists(os.path.join(path, 'adapter_config.json'))


def build_model(config: dict, device: torch.device, autocast: torch.dtype | None, attention: str):
    from transformers import AutoModelForCausalLM

    init_from = config['init_from']
    base_dir = init_from if init_from and not is_adapter_dir(init_from) else config['model']
    if config['method'] == 'full' and is_adapter_dir(init_from):
        raise ConfigError(f'init_from {init_from} is a LoRA adapter; full fine-tuning needs a full model directory')
    # LoRA leaves the base frozen, so it can sit in bf16; full fine-tuning keeps fp32 master weights.
    base_dtype = autocast if (config['method'] == 'lora' and autocast) else torch.float32
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=base_dtype,
                                                 attn_implementation=attn_implementation(attention))
    return prepare_model(model, config, adapter_dir=init_from if is_adapter_dir(init_from) else None).to(device)


def prepare_model(model, config: dict, adapter_dir: str | None = None):
    """Make a loaded base model trainable as the config says: LoRA adapters (new or continued), checkpointing."""
    if config['method'] == 'lora':
        from peft import LoraConfig, PeftModel, get_peft_model

        if adapter_dir:
            model = PeftModel.from_pretrained(model, adapter_dir, is_trainable=True)
        else:
            lora = config['lora']
            model = get_peft_model(model, LoraConfig(
                r=lora['r'], lora_alpha=lora['alpha'], lora_dropout=lora['dropout'],
                target_modules=lora['target_modules'], task_type='CAUSAL_LM'))
    if config['gradient_checkpointing']:
        # Non-reentrant checkpointing needs no input that requires grad, so it works under a frozen LoRA base.
        # (transformers >= 5.2x names it activation checkpointing; earlier 5.x only gradient checkpointing.)
        enable = getattr(model, 'activation_checkpointing_enable', None)
        if enable is not None:
            enable(activation_checkpointing_kwargs={'use_reentrant': False})
        else:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={'use_reentrant': False})
    return model


def trainable_state(model) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


def load_trainable_state(model, state: dict[str, torch.Tensor], where: str) -> None:
    params = dict(model.named_parameters())
    missing = [name for name, p in params.items() if p.requires_grad and name not in state]
    if missing or any(name not in params for name in state):
        raise RuntimeError(f'{where} does not match the model being trained (e.g. {missing[:3]}); '
                           'use a new output_dir or delete the stale checkpoints')
    with torch.no_grad():
        for name, value in state.items():
            params[name].copy_(value)


# ---- checkpoints ----------------------------------------------------------------------------------------------


@dataclass
class Progress:
    step: int
    order: list[int]
    order_epoch: int
    last_loss: float | None


def epoch_order(seed: int, epoch: int, n: int) -> list[int]:
    """The data order of an epoch: a permutation fixed by the seed and the epoch number."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=generator).tolist()


def latest_checkpoint(output_dir: str) -> str | None:
    root = os.path.join(output_dir, CHECKPOINTS)
    if not os.path.isdir(root):
        return None
    done = sorted(name for name in os.listdir(root) if name.startswith('step-') and not name.endswith('.tmp'))
    return os.path.join(root, done[-1]) if done else None


def save_checkpoint(output_dir: str, model, optimizer, scheduler, progress: Progress, digest: str) -> str:
    root = os.path.join(output_dir, CHECKPOINTS)
    final = os.path.join(root, f'step-{progress.step:09d}')
    staging = final + '.tmp'
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    torch.save({
        'config_hash': digest,
        'step': progress.step, 'order': progress.order, 'order_epoch': progress.order_epoch,
        'last_loss': progress.last_loss,
        'trainable': trainable_state(model),
        'optimizer': optimizer.state_dict(), 'scheduler': scheduler.state_dict(),
        'rng': {'torch': torch.get_rng_state(), 'python': random.getstate(),
                'cuda': torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []},
    }, os.path.join(staging, 'state.pt'))
    # The rename is the commit point: a checkpoint directory without .tmp is always complete.
    os.replace(staging, final)
    for old in sorted(n for n in os.listdir(root) if n.startswith('step-') and not n.endswith('.tmp'))[:-_KEEP_CHECKPOINTS]:
        shutil.rmtree(os.path.join(root, old), ignore_errors=True)
    return final


def restore_checkpoint(path: str, model, optimizer, scheduler, digest: str) -> Progress:
    state = torch.load(os.path.join(path, 'state.pt'), map_location='cpu', weights_only=False)
    if state['config_hash'] != digest:
        raise ConfigError(f'{path} was written by a different training config; use a new output_dir or delete it')
    load_trainable_state(model, state['trainable'], path)
    optimizer.load_state_dict(state['optimizer'])
    scheduler.load_state_dict(state['scheduler'])
    torch.set_rng_state(state['rng']['torch'])
    random.setstate(state['rng']['python'])
    if state['rng']['cuda'] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['rng']['cuda'])
    return Progress(state['step'], state['order'], state['order_epoch'], state['last_loss'])


def _atomic_dir(path: str, write) -> None:
    staging = path + '.tmp'
    shutil.rmtree(staging, ignore_errors=True)
    write(staging)
    shutil.rmtree(path, ignore_errors=True)
    os.replace(staging, path)


def save_final(config: dict, model, tokenizer) -> str:
    """Save the servable model and return its directory: the full model, or for LoRA the adapter (what the deploy
    step loads onto the served base) — plus a merged full copy only when `save_merged` asks for it (then returned)."""
    from .templates import SPEC_FILE

    output_dir = config['output_dir']
    spec_file = os.path.join(config['model'], SPEC_FILE)

    def with_tokenizer(directory: str) -> None:
        tokenizer.save_pretrained(directory)
        if os.path.exists(spec_file):
            shutil.copy(spec_file, directory)

    if config['method'] == 'full':
        target = os.path.join(output_dir, 'model')
        _atomic_dir(target, lambda d: (model.save_pretrained(d), with_tokenizer(d)))
        return target
    adapter = os.path.join(output_dir, 'adapter')
    _atomic_dir(adapter, lambda d: (model.save_pretrained(d), with_tokenizer(d)))
    if not config['save_merged']:
        return adapter
    merged = model.merge_and_unload().to(torch.float32)
    target = os.path.join(output_dir, 'merged')
    _atomic_dir(target, lambda d: (merged.save_pretrained(d), with_tokenizer(d)))
    return target


# ---- the loop -------------------------------------------------------------------------------------------------


def train(config: dict) -> dict:
    from transformers import AutoTokenizer

    output_dir = config['output_dir']
    digest = config_hash(config)
    done_path = os.path.join(output_dir, DONE_FILE)
    if os.path.exists(done_path):
        with open(done_path) as f:
            done = json.load(f)
        if done.get('config_hash') == digest:
            return {'event': 'done', **{k: done[k] for k in ('model_dir', 'steps', 'final_loss')}}
        raise ConfigError(f'{output_dir} holds a finished run of a different config; use a new output_dir')

    random.seed(config['seed'])
    torch.manual_seed(config['seed'])
    device = resolve_device(config)
    autocast = resolve_autocast(config, device)
    attention = resolve_attention(config, device)

    tokenizer = AutoTokenizer.from_pretrained(config['model'])
    spec = load_spec(config['model'], tokenizer)
    records = load_trajectories(config['datasets'], config['reward_filter'])
    try:
        objective = dataset_objective(records)
    except ValueError as error:
        raise ConfigError(str(error)) from error
    cache = CacheStats()
    if objective.method == 'imitation':
        trajectories = render_all(tokenizer, spec, records, render_cache_dir(config), cache)
    else:
        # The student's own tokens as it was served them: nothing to render.
        trajectories = [t for record in records for t in samples_trajectories(record, objective)]
    sequences, stats, naive_tokens = build_sequences(trajectories, config['packing'], config['max_seq_len'])
    if not sequences:
        raise ConfigError(f'no training examples: {len(records)} trajectories kept from {config["datasets"]} '
                          f'(reward_filter {config["reward_filter"]}), {stats.dropped} examples longer than max_seq_len')

    model = build_model(config, device, autocast, attention)
    model.train()
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=config['lr'], weight_decay=config['weight_decay'])
    steps_per_epoch = math.ceil(len(sequences) / config['batch_size'])
    total_steps = steps_per_epoch * config['epochs']
    warmup = config['warmup_steps']

    def lr_factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    progress = Progress(0, epoch_order(config['seed'], 0, len(sequences)), 0, None)
    checkpoint = latest_checkpoint(output_dir)
    if checkpoint:
        progress = restore_checkpoint(checkpoint, model, optimizer, scheduler, digest)

    emit({'event': 'start', 'resumed_from': checkpoint, 'step': progress.step, 'total_steps': total_steps,
          'trajectories': len(records), 'sequences': stats.sequences, 'tokens': stats.tokens,
          'label_tokens': stats.label_tokens, 'naive_tokens': naive_tokens, 'dropped_examples': stats.dropped,
          'packing': config['packing'], 'method': config['method'], 'objective': objective.method,
          'device': str(device), 'attention': attention,
          'rendered': cache.rendered, 'render_cache_hits': cache.hits,
          'dtype': 'bf16' if autocast else 'fp32',
          'trainable_parameters': sum(p.numel() for p in parameters)})

    last_save, save_cost = time.monotonic(), 0.0
    while progress.step < total_steps:
        epoch, index = divmod(progress.step, steps_per_epoch)
        if progress.order_epoch != epoch:
            progress.order, progress.order_epoch = epoch_order(config['seed'], epoch, len(sequences)), epoch
        batch = [sequences[i] for i in progress.order[index * config['batch_size']:(index + 1) * config['batch_size']]]
        started = time.perf_counter()
        loss, measured = train_step(model, optimizer, batch, config, device, autocast, parameters, attention, objective)
        scheduler.step()
        progress.step += 1
        progress.last_loss = loss
        tokens = sum(len(s) for s in batch)
        event = {'event': 'step', 'step': progress.step, 'total_steps': total_steps, 'epoch': epoch, 'loss': loss,
                 'tokens': tokens, 'label_tokens': sum(s.label_count for s in batch), 'attention': attention,
                 'tokens_per_s': round(tokens / max(time.perf_counter() - started, 1e-9), 1), **measured}
        if device.type == 'cuda':
            event['peak_memory_mb'] = round(torch.cuda.max_memory_allocated(device) / 2**20)
        emit(event)
        every, seconds = config['save_every_steps'], config['save_every_seconds']
        due_by_time = seconds and time.monotonic() - last_save >= max(seconds, 10 * save_cost)
        if ((every and progress.step % every == 0) or due_by_time) and progress.step < total_steps:
            began = time.monotonic()
            path = save_checkpoint(output_dir, model, optimizer, scheduler, progress, digest)
            last_save, save_cost = time.monotonic(), time.monotonic() - began
            emit({'event': 'checkpoint', 'step': progress.step, 'path': path})

    model_dir = save_final(config, model, tokenizer)
    result = {'model_dir': model_dir, 'steps': progress.step, 'final_loss': progress.last_loss}
    with open(done_path + '.tmp', 'w') as f:
        json.dump({**result, 'config_hash': digest}, f)
    os.replace(done_path + '.tmp', done_path)
    return {'event': 'done', **result}


def train_step(model, optimizer, batch: list[Sequence], config: dict, device, autocast, parameters,
               attention: str = 'dense', objective: Objective = Objective()) -> tuple[float, dict[str, float]]:
    """One optimizer step on a batch of sequences: the mean loss per label token over the whole batch, and the
    objective's own measures per label token (opd: reverse_kl; grpo: clipped_tokens, ratio, kl)."""
    optimizer.zero_grad(set_to_none=True)
    label_tokens = sum(s.label_count for s in batch)
    total = 0.0
    measured: dict[str, float] = {}
    for group in rows_for(batch, config['max_seq_len'], attention):
        row = collate(group, device, attention)
        with torch.autocast(device.type, dtype=autocast, enabled=autocast is not None):
            if objective.method == 'imitation':
                loss = label_loss_sum(model, row) / label_tokens
            else:
                summed = objective_loss_sum(model, row, objective)
                loss = summed.loss / label_tokens
                for name, value in summed.metrics.items():
                    measured[name] = measured.get(name, 0.0) + value / label_tokens
        loss.backward()
        total += loss.item()
    if config['max_grad_norm']:
        torch.nn.utils.clip_grad_norm_(parameters, config['max_grad_norm'])
    optimizer.step()
    return total, measured
