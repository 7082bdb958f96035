"""The `train` command end to end: the loss falls, a killed run resumes to the same model, errors are events."""
import contextlib
import io
import json
import os
import signal

import torch
from safetensors.torch import load_file

from agent_dagger_trainer.config import validate_config
from agent_dagger_trainer.dataset import load_trajectories
from agent_dagger_trainer.train import train as run_training
from cli import popen, train
from fixtures import trajectory, write_jsonl


def _config(models, tmp_path, **overrides):
    dataset = write_jsonl(tmp_path / 'iter-1.jsonl', [trajectory(seed, 5, reward=seed % 2) for seed in range(12)])
    return {'datasets': [dataset], 'model': models['chatml-json'], 'output_dir': str(tmp_path / 'out'),
            'lr': 3e-3, 'epochs': 3, 'batch_size': 3, 'max_seq_len': 2048, 'device': 'cpu', 'dtype': 'fp32',
            'seed': 7, 'save_every_steps': 4, 'save_every_seconds': 0, **overrides}


def test_training_lowers_the_loss_and_a_rerun_is_done(models, tmp_path):
    code, events, stderr = train(_config(models, tmp_path), tmp_path / 'config.json')
    assert code == 0, stderr
    steps = [e for e in events if e['event'] == 'step']
    start, done = events[0], events[-1]
    assert start['event'] == 'start' and start['trajectories'] == 12 and start['tokens'] < start['naive_tokens']
    assert len(steps) == start['total_steps'] == 12
    assert set(steps[0]) >= {'step', 'total_steps', 'epoch', 'loss', 'tokens', 'label_tokens', 'tokens_per_s'}
    # On CPU FlexAttention has no backward pass: 'auto' falls back to the dense mask and says so.
    assert start['attention'] == 'dense' and all(e['attention'] == 'dense' for e in steps)
    assert start['rendered'] == 12 and start['render_cache_hits'] == 0
    assert len(os.listdir(tmp_path / 'render-cache')) == 1
    assert [e['step'] for e in events if e['event'] == 'checkpoint'] == [4, 8]
    first, last = steps[0]['loss'], sum(e['loss'] for e in steps[-3:]) / 3
    print(f'\nfull fine-tuning: loss {first:.3f} -> {last:.3f} over {len(steps)} steps')
    assert last < 0.75 * first
    assert done == {'event': 'done', 'model_dir': str(tmp_path / 'out' / 'model'), 'steps': 12,
                    'final_loss': steps[-1]['loss']}
    code, again, _ = train(_config(models, tmp_path), tmp_path / 'config.json')
    assert code == 0 and again == [done]


def test_checkpoints_by_time_however_few_steps(models, tmp_path):
    # A step count that never reaches save_every_steps still checkpoints once save_every_seconds passed.
    code, events, stderr = train(_config(models, tmp_path, save_every_steps=50, save_every_seconds=1e-6), tmp_path / 'config.json')
    assert code == 0, stderr
    # Saves stay at least ten saves' durations apart, so on a loaded machine a step may come too soon after one.
    saved = [e['step'] for e in events if e['event'] == 'checkpoint']
    assert saved and saved == sorted(set(saved)) and set(saved) <= set(range(1, 12)), saved
    code, events, _ = train(_config(models, tmp_path, save_every_seconds=-1), tmp_path / 'config.json')
    assert code == 2 and 'save_every_seconds must be a non-negative number' in events[-1]['message'], events


def test_rejection_sampling_keeps_only_successful_trajectories(models, tmp_path):
    config = _config(models, tmp_path, reward_filter=1)
    kept = load_trajectories(config['datasets'], config['reward_filter'])
    assert [r['episodeId'] for r in kept] == [f'e{seed}' for seed in range(1, 12, 2)]
    assert len(load_trajectories(config['datasets'], None)) == 12


def test_killed_run_resumes_to_the_uninterrupted_model(models, tmp_path):
    lora = {'r': 4, 'alpha': 8, 'dropout': 0.1, 'target_modules': ['q_proj', 'v_proj']}
    dataset = write_jsonl(tmp_path / 'iter-1.jsonl', [trajectory(seed, 4) for seed in range(6)])
    config = {'datasets': [dataset], 'model': models['chatml-json'], 'output_dir': str(tmp_path / 'a'),
              'method': 'lora', 'lora': lora, 'lr': 3e-3, 'epochs': 2, 'batch_size': 2, 'device': 'cpu',
              'dtype': 'fp32', 'seed': 3, 'save_every_steps': 2, 'save_merged': True}
    with contextlib.redirect_stdout(io.StringIO()):
        uninterrupted = run_training(validate_config(config))
    assert uninterrupted['steps'] == 6

    resumed = {**config, 'output_dir': str(tmp_path / 'b')}
    (tmp_path / 'b.json').write_text(json.dumps(resumed))
    process = popen('train', '--config', str(tmp_path / 'b.json'))
    for line in process.stdout:
        if json.loads(line)['event'] == 'checkpoint':
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not os.path.exists(tmp_path / 'b' / 'done.json'), 'the run must be killed before it finished'

    code, events, stderr = train(resumed, tmp_path / 'b.json')
    assert code == 0, stderr
    assert events[0]['resumed_from'].endswith('step-000000002') and events[0]['step'] == 2
    assert [e['step'] for e in events if e['event'] == 'step'] == [3, 4, 5, 6]
    for part in ('adapter/adapter_model.safetensors', 'merged/model.safetensors'):
        a = load_file(str(tmp_path / 'a' / part))
        b = load_file(str(tmp_path / 'b' / part))
        assert a.keys() == b.keys()
        assert all(torch.equal(a[k], b[k]) for k in a), f'{part} differs after resuming'
    base = load_file(os.path.join(models['chatml-json'], 'model.safetensors'))
    merged = load_file(str(tmp_path / 'a' / 'merged' / 'model.safetensors'))
    assert not torch.equal(base['model.layers.0.self_attn.q_proj.weight'], merged['model.layers.0.self_attn.q_proj.weight'])


def test_bad_config_is_an_error_event(models, tmp_path):
    for overrides, expected in [({'packing': 'zigzag'}, 'packing'), ({'batch_size': 0}, 'batch_size'),
                                ({'learning_rate': 1}, 'unknown fields'),
                                ({'datasets': [str(tmp_path / 'missing.jsonl')]}, 'missing.jsonl')]:
        code, events, _ = train(_config(models, tmp_path, **overrides), tmp_path / 'config.json')
        assert code != 0
        assert events[-1]['event'] == 'error' and expected in events[-1]['message'], events


def test_lora_saves_the_adapter_only_unless_asked(models, tmp_path):
    dataset = write_jsonl(tmp_path / 'iter-1.jsonl', [trajectory(seed, 3) for seed in range(2)])
    config = {'datasets': [dataset], 'model': models['chatml-json'], 'output_dir': str(tmp_path / 'out'),
              'method': 'lora', 'lora': {'r': 2, 'alpha': 4, 'target_modules': ['q_proj']}, 'batch_size': 2,
              'device': 'cpu', 'save_every_steps': 0, 'render_cache_dir': None}
    with contextlib.redirect_stdout(io.StringIO()):
        done = run_training(validate_config(config))
    adapter = tmp_path / 'out' / 'adapter'
    assert done['model_dir'] == str(adapter)
    assert sorted(os.listdir(tmp_path / 'out')) == ['adapter', 'done.json']
    assert (adapter / 'adapter_config.json').exists() and (adapter / 'agent_dagger.json').exists()
    assert not (tmp_path / 'render-cache').exists()
    # What the deploy step sends and the server loads: the adapter over the base it records.
    with open(adapter / 'adapter_config.json') as f:
        assert json.load(f)['base_model_name_or_path'] == models['chatml-json']


def test_flex_attention_on_cpu_is_a_config_error(models, tmp_path):
    code, events, _ = train(_config(models, tmp_path, attention='flex'), tmp_path / 'config.json')
    assert code != 0 and 'no backward pass on CPU' in events[-1]['message'] and 'dense' in events[-1]['message']
