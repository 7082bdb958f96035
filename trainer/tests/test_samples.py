"""Policy samples (opd, grpo): the student's own turns as token ids with per-token values, packed into one tree per
episode and trained with the objective the records name. The packed loss equals the per-turn loss computed directly
from the model on each turn's prompt + tokens; mixed datasets are refused; `train` runs OPD and GRPO end to end."""
import json
import random

import pytest
import torch
from transformers import AutoModelForCausalLM

from agent_dagger_trainer.dataset import SAMPLES_SCHEMA, build_sequences, dataset_objective, load_trajectories, samples_trajectories
from agent_dagger_trainer.objective import Objective, objective_loss_sum, token_loss_sum
from agent_dagger_trainer.packing import collate
from cli import train
from fixtures import trajectory, write_jsonl


def _turns(rng: random.Random, count: int, branch_at: int | None = None) -> list[dict]:
    """Turns whose prompts extend the previous turn's prompt + tokens (+ an observation), except turn `branch_at`,
    whose prompt re-renders the previous tokens differently (it leaves the path)."""
    prompt = [rng.randrange(5, 200) for _ in range(12)]
    turns = []
    for t in range(count):
        tokens = [rng.randrange(5, 200) for _ in range(rng.randrange(3, 8))]
        values = {'teacher_logprob': [-rng.random() * 3 for _ in tokens], 'behaviour_logprob': [-rng.random() * 3 for _ in tokens],
                  'reference_logprob': [-rng.random() * 3 for _ in tokens], 'advantage': [0.7] * len(tokens)}
        turns.append({'turn': t, 'promptTokenIds': list(prompt), 'tokenIds': tokens, 'values': values})
        rendered = tokens if t + 1 != branch_at else [rng.randrange(5, 200) for _ in tokens]
        prompt = prompt + rendered + [rng.randrange(5, 200) for _ in range(6)]
    return turns


def _record(seed: int, method: str, turns: int = 4, branch_at: int | None = None, kl: float = 0.0, reward: int = 1) -> dict:
    return {'schema': SAMPLES_SCHEMA, 'experimentId': 'x', 'iteration': 1, 'episodeId': f'e{seed}', 'taskId': 't',
            'objective': {'method': method, 'clipEpsilon': 0.2, 'klCoef': kl}, 'reward': reward,
            'turns': _turns(random.Random(seed), turns, branch_at)}


@pytest.mark.parametrize('method,kl', [('opd', 0.0), ('grpo', 0.0), ('grpo', 0.1)])
def test_packed_loss_equals_the_loss_of_each_turn_computed_directly(models, method, kl):
    model = AutoModelForCausalLM.from_pretrained(models['chatml-json'], dtype=torch.float32).eval()
    record = _record(3, method, turns=4, branch_at=2, kl=kl)
    objective = dataset_objective([record])
    assert objective == Objective(method, 0.2, kl)
    trees = samples_trajectories(record, objective)
    assert len(trees) == 1 and [t.on_path for t in trees[0].transitions] == [True, False, True, True]
    sequences, stats, naive = build_sequences(trees, 'tree', 4096)
    assert len(sequences) == 1 and stats.tokens < naive
    with torch.no_grad():
        packed = objective_loss_sum(model, collate(sequences, 'cpu'), objective)
        direct = 0.0
        for turn in record['turns']:
            ids = turn['promptTokenIds'] + turn['tokenIds']
            logits = model(input_ids=torch.tensor([ids])).logits[0].float()
            n = len(turn['tokenIds'])
            logp = torch.log_softmax(logits[-n - 1:-1], dim=-1).gather(1, torch.tensor(turn['tokenIds'])[:, None])[:, 0]
            data = {name: torch.tensor(values) for name, values in turn['values'].items()}
            direct += float(token_loss_sum(objective, logp, data).loss)
    assert packed.tokens == sum(len(t['tokenIds']) for t in record['turns'])
    assert float(packed.loss) == pytest.approx(direct, rel=1e-4, abs=1e-4)


def test_turns_whose_path_ends_go_back_are_trained_one_by_one():
    record = _record(5, 'opd', turns=3)
    # Turn 1's prompt re-renders the start of the history: it leaves the path before turn 0's tokens end.
    record['turns'][1]['promptTokenIds'] = record['turns'][0]['promptTokenIds'][:4] + [7] * 30
    trees = samples_trajectories(record, Objective('opd'))
    assert len(trees) == 3 and all(len(t.transitions) == 1 and t.transitions[0].on_path for t in trees)


def test_a_turn_without_the_objectives_values_is_refused():
    record = _record(1, 'grpo', kl=0.1)
    del record['turns'][1]['values']['reference_logprob']
    with pytest.raises(ValueError, match=r"turn 1: grpo needs \['reference_logprob'\] per token"):
        samples_trajectories(record, dataset_objective([record]))


def test_a_dataset_mixing_objectives_is_refused(tmp_path):
    imitation = write_jsonl(tmp_path / 'demos.jsonl', [trajectory(1, 3)])
    opd = write_jsonl(tmp_path / 'iter-1.jsonl', [_record(1, 'opd')])
    grpo = write_jsonl(tmp_path / 'iter-2.jsonl', [_record(2, 'grpo')])
    assert dataset_objective(load_trajectories([imitation])) == Objective()
    for paths in ([imitation, opd], [opd, grpo]):
        with pytest.raises(ValueError, match='mix objectives'):
            dataset_objective(load_trajectories(paths))


@pytest.mark.parametrize('method,kl', [('opd', 0.0), ('grpo', 0.05)])
def test_train_runs_the_objective_the_records_name(models, tmp_path, method, kl):
    records = [_record(seed, method, kl=kl, reward=seed % 2) for seed in range(6)]
    dataset = write_jsonl(tmp_path / 'iter-1.jsonl', records)
    config = {'datasets': [dataset], 'model': models['chatml-json'], 'output_dir': str(tmp_path / 'out'), 'lr': 1e-3,
              'epochs': 1, 'batch_size': 3, 'max_seq_len': 2048, 'device': 'cpu', 'dtype': 'fp32', 'seed': 1,
              'save_every_steps': 0, 'save_every_seconds': 0}
    code, events, stderr = train(config, tmp_path / 'config.json')
    assert code == 0, stderr
    start, steps = events[0], [e for e in events if e['event'] == 'step']
    assert start['objective'] == method and start['trajectories'] == 6 and start['rendered'] == 0
    assert start['label_tokens'] == sum(len(t['tokenIds']) for r in records for t in r['turns'])
    assert len(steps) == 2 and all(isinstance(e['loss'], float) for e in steps)
    expected = {'reverse_kl'} if method == 'opd' else {'clipped_tokens', 'ratio', 'kl'}
    assert expected <= set(steps[0]), steps[0]
    assert json.loads(json.dumps(events[-1]))['event'] == 'done'
