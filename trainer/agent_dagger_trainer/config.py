"""The training config: one JSON object, validated before anything heavy is imported; every default is here."""
from __future__ import annotations

import hashlib
import json
import os

DEFAULTS: dict = {
    'init_from': None,
    'method': 'full',
    'lora': {'r': 8, 'alpha': 16, 'dropout': 0.0, 'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj']},
    'lr': 1e-4,
    'epochs': 1,
    'batch_size': 8,
    'max_seq_len': 4096,
    'device': 'auto',
    'dtype': 'auto',
    'seed': 0,
    'packing': 'tree',
    'save_every_steps': 50,
    'reward_filter': None,
    'warmup_steps': 0,
    'weight_decay': 0.0,
    'max_grad_norm': 1.0,
    'gradient_checkpointing': False,
}
REQUIRED = ('datasets', 'model', 'output_dir')
# Fields that may change between an interrupted attempt and its resumption without changing the result.
_RESUME_FREE = ('device', 'save_every_steps', 'gradient_checkpointing')


class ConfigError(ValueError):
    pass


def load_config(path: str) -> dict:
    try:
        with open(path) as f:
            raw = json.load(f)
    except (OSError, ValueError) as error:
        raise ConfigError(f'cannot read the training config {path}: {error}') from error
    config = validate_config(raw, path)
    for dataset in config['datasets']:
        if not os.path.isfile(dataset):
            raise ConfigError(f'{path}: dataset {dataset} does not exist; check the run directory')
    for key in ('model', 'init_from'):
        if config[key] and not os.path.isdir(config[key]):
            raise ConfigError(f'{path}: {key} {config[key]} is not a directory; create it with `init-model` or train first')
    return config


def validate_config(raw: dict, where: str = 'config') -> dict:
    if not isinstance(raw, dict):
        raise ConfigError(f'{where}: the config must be a JSON object')
    unknown = sorted(set(raw) - set(DEFAULTS) - set(REQUIRED))
    if unknown:
        raise ConfigError(f'{where}: unknown fields {unknown}; known: {sorted([*REQUIRED, *DEFAULTS])}')
    missing = [key for key in REQUIRED if not raw.get(key)]
    if missing:
        raise ConfigError(f'{where}: missing required fields {missing}')
    config = {**DEFAULTS, **raw, 'lora': {**DEFAULTS['lora'], **(raw.get('lora') or {})}}
    if not isinstance(config['datasets'], list) or not all(isinstance(p, str) for p in config['datasets']):
        raise ConfigError(f'{where}: datasets must be a list of JSONL paths')
    choices = {'method': ('full', 'lora'), 'device': ('auto', 'cpu', 'cuda'), 'dtype': ('auto', 'fp32', 'bf16'),
               'packing': ('tree', 'none'), 'reward_filter': (None, 0, 1)}
    for key, allowed in choices.items():
        if config[key] not in allowed:
            raise ConfigError(f'{where}: {key} must be one of {list(allowed)}, got {config[key]!r}')
    positive = {'lr': float, 'epochs': int, 'batch_size': int, 'max_seq_len': int}
    for key, kind in positive.items():
        if not isinstance(config[key], (int, float)) or isinstance(config[key], bool) or config[key] <= 0 or (
                kind is int and config[key] != int(config[key])):
            raise ConfigError(f'{where}: {key} must be a positive {kind.__name__}, got {config[key]!r}')
    if not isinstance(config['gradient_checkpointing'], bool):
        raise ConfigError(f'{where}: gradient_checkpointing must be true or false, got {config["gradient_checkpointing"]!r}')
    for key in ('save_every_steps', 'warmup_steps', 'seed'):
        if not isinstance(config[key], int) or config[key] < 0:
            raise ConfigError(f'{where}: {key} must be a non-negative integer, got {config[key]!r}')
    return config


def config_hash(config: dict) -> str:
    kept = {k: v for k, v in config.items() if k not in _RESUME_FREE}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()[:16]
