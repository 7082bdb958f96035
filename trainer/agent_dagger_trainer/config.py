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
    # Also a checkpoint once this many seconds passed since the last one (or since the start), at least ten times
    # the last save's duration apart: a long step killed after a minute resumes near where it was, not from zero.
    'save_every_seconds': 60,
    'reward_filter': None,
    'warmup_steps': 0,
    'weight_decay': 0.0,
    'max_grad_norm': 1.0,
    'gradient_checkpointing': False,
    # 'flex': FlexAttention with a block-sparse tree mask (CUDA); 'dense': SDPA with an L × L boolean mask (any
    # device); 'auto': flex where it can run (CUDA, torch with flex_attention), else dense.
    'attention': 'auto',
    # LoRA: also write the merged full model (`merged/`); the adapter alone is what the deploy step loads.
    'save_merged': False,
    # Rendered trajectories cached across iterations; 'auto' = `render-cache/` beside output_dir, null = no cache.
    'render_cache_dir': 'auto',
}
REQUIRED = ('datasets', 'model', 'output_dir')
# Fields that may change between an interrupted attempt and its resumption without changing the result.
_RESUME_FREE = ('device', 'save_every_steps', 'save_every_seconds', 'gradient_checkpointing', 'attention', 'render_cache_dir')


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
               'packing': ('tree', 'none'), 'reward_filter': (None, 0, 1), 'attention': ('auto', 'flex', 'dense')}
    for key, allowed in choices.items():
        if config[key] not in allowed:
            raise ConfigError(f'{where}: {key} must be one of {list(allowed)}, got {config[key]!r}')
    positive = {'lr': float, 'epochs': int, 'batch_size': int, 'max_seq_len': int}
    for key, kind in positive.items():
        if not isinstance(config[key], (int, float)) or isinstance(config[key], bool) or config[key] <= 0 or (
                kind is int and config[key] != int(config[key])):
            raise ConfigError(f'{where}: {key} must be a positive {kind.__name__}, got {config[key]!r}')
    for key in ('gradient_checkpointing', 'save_merged'):
        if not isinstance(config[key], bool):
            raise ConfigError(f'{where}: {key} must be true or false, got {config[key]!r}')
    if config['render_cache_dir'] is not None and not (isinstance(config['render_cache_dir'], str)
                                                       and config['render_cache_dir']):
        raise ConfigError(f'{where}: render_cache_dir must be "auto", a directory or null, got {config["render_cache_dir"]!r}')
    if not isinstance(config['save_every_seconds'], (int, float)) or isinstance(config['save_every_seconds'], bool) \
            or config['save_every_seconds'] < 0:
        raise ConfigError(f'{where}: save_every_seconds must be a non-negative number (0 = by steps only), '
                          f'got {config["save_every_seconds"]!r}')
    for key in ('save_every_steps', 'warmup_steps', 'seed'):
        if not isinstance(config[key], int) or config[key] < 0:
            raise ConfigError(f'{where}: {key} must be a non-negative integer, got {config[key]!r}')
    return config


def render_cache_dir(config: dict) -> str | None:
    if config['render_cache_dir'] == 'auto':
        return os.path.join(os.path.dirname(os.path.abspath(config['output_dir'])), 'render-cache')
    return config['render_cache_dir']


def check_options(options_json: str) -> dict:
    """Validate an experiment's `trainer.options` as a train step will see them (the fields that the train
    step fills in itself stand in with placeholders), so that a typo fails when the config loads, not after
    an iteration of rollouts."""
    where = 'trainer.options'
    try:
        options = json.loads(options_json)
    except ValueError as error:
        raise ConfigError(f'{where}: not a JSON object ({error})') from error
    if not isinstance(options, dict):
        raise ConfigError(f'{where}: must be an object, got {type(options).__name__}')
    filled = sorted(set(options) & {*REQUIRED, 'init_from', 'seed'})
    if filled:
        raise ConfigError(f'{where}: {filled} are set by each train step (the run\'s datasets, trainer.model, the '
                          'checkpoint, the experiment seed); remove them from the options')
    validate_config({**options, 'datasets': ['<D_i>'], 'model': '<trainer.model>', 'output_dir': '<checkpoint>'}, where)
    return {'event': 'ok', 'options': sorted(options)}


def config_hash(config: dict) -> str:
    kept = {k: v for k, v in config.items() if k not in _RESUME_FREE}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()[:16]
