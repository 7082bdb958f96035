"""Synthetic TrajectoryRecords (core/types.ts shapes) for the trainer's tests."""
from __future__ import annotations

import json
import random

from agent_dagger_trainer.model import SYNTHETIC_TOOLS

_COMMANDS = ['ls', 'cat calc.py', 'python -m pytest -q', 'grep -n def calc.py', 'git diff', 'sed -n 1,20p calc.py']


def _call(rng: random.Random, call_id: str) -> dict:
    kind = rng.randrange(3)
    if kind == 0:
        return {'id': call_id, 'name': 'execute_bash', 'arguments': {'command': rng.choice(_COMMANDS)}}
    if kind == 1:
        return {'id': call_id, 'name': 'str_replace_editor',
                'arguments': {'command': 'view', 'path': '/repo/calc.py', 'view_range': [1, rng.randrange(2, 40)]}}
    return {'id': call_id, 'name': 'think', 'arguments': {'thought': f'step {rng.randrange(100)} looks fine'}}


def _action(rng: random.Random, call_id: str) -> dict:
    if rng.random() < 0.15:
        # A malformed student output: no parsable call, answered by a user message.
        return {'content': 'I will <function=broken', 'toolCalls': [], 'parseError': 'no tool call'}
    return {'content': rng.choice(['', 'Let me look.', 'Checking the tests next.']), 'toolCalls': [_call(rng, call_id)]}


def _policy_output(action: dict) -> dict:
    return {'action': action, 'usage': {'promptTokens': 0, 'completionTokens': 0}, 'latencyMs': 1, 'model': 'm',
            'contextExceeded': False}


def trajectory(seed: int, turns: int, beta: float = 0.5, reward: int = 1, observation_lines: int = 3) -> dict:
    """A trajectory mixing teacher- and student-executed turns (z_t ~ Bernoulli(beta))."""
    rng = random.Random(seed)
    records = []
    for t in range(turns):
        teacher = rng.random() < beta
        label = {'content': 'Teacher plan.' if rng.random() < 0.5 else '', 'toolCalls': [_call(rng, f't{t}')]}
        executed = label if teacher else _action(rng, f's{t}')
        text = '\n'.join(f'line {rng.randrange(1000)} of output' for _ in range(rng.randrange(1, observation_lines + 1)))
        records.append({
            'schema': 'agent-dagger/turn@1', 'experimentId': 'exp', 'iteration': 1, 'episodeId': f'e{seed}',
            'taskId': 'calc-001', 'turn': t, 'executor': 'teacher' if teacher else 'student',
            'mixing': {'kind': 'dagger', 'beta': beta}, 'label': _policy_output(label),
            'student': None if teacher else _policy_output(executed), 'executed': executed,
            'observation': {'text': text, 'fullChars': len(text), 'truncated': False, 'exitCode': 0, 'timedOut': False,
                            'durationMs': 1, 'error': False},
            'fullObservationRef': None,
        })
    return {
        'schema': 'agent-dagger/trajectory@1', 'experimentId': 'exp', 'iteration': 1, 'episodeId': f'e{seed}',
        'taskId': 'calc-001',
        'prompt': [{'role': 'system', 'content': 'You are a careful software engineer.'},
                   {'role': 'user', 'content': f'Issue {seed}: divide() crashes on zero. Fix calc.py.'}],
        'tools': SYNTHETIC_TOOLS, 'turns': records, 'endReason': 'finish', 'reward': reward,
        'verification': {'resolved': bool(reward), 'patchApplied': True, 'error': None, 'ref': None},
    }


def fixed_call_trajectory(seed: int, command: str) -> dict:
    """A one-turn teacher trajectory whose label is always the same call (to check that training learns it)."""
    record = trajectory(seed, 1, beta=1.0)
    action = {'content': '', 'toolCalls': [{'id': 'c0', 'name': 'execute_bash', 'arguments': {'command': command}}]}
    record['tools'] = [tool for tool in SYNTHETIC_TOOLS if tool['function']['name'] == 'execute_bash']
    record['turns'][0]['label'] = _policy_output(action)
    record['turns'][0]['executed'] = action
    return record


def write_jsonl(path, records: list[dict]) -> str:
    with open(path, 'w') as f:
        for record in records:
            f.write(json.dumps(record) + '\n')
    return str(path)
