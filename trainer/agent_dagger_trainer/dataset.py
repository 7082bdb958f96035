"""The aggregated DAgger dataset D: TrajectoryRecord JSON lines -> rendered trajectories -> training sequences."""
from __future__ import annotations

import json

from .packing import PackStats, RenderedTrajectory, Sequence, Transition, expand_naive, pack_tree
from .render import (
    TemplateError,
    action_message,
    assistant_end,
    canonical_to_template,
    encode,
    render_conversation,
    render_text,
    turn_messages,
)
from .templates import TemplateSpec

TRAJECTORY_SCHEMA = 'agent-dagger/trajectory@1'


def load_trajectories(paths: list[str], reward_filter: int | None = None) -> list[dict]:
    """Read every record of the dataset files, in file and line order; keep only reward == reward_filter if set."""
    records = []
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    raise ValueError(f'{path}:{number}: not valid JSON ({error}); fix or remove the line') from error
                if not isinstance(record, dict) or record.get('schema') != TRAJECTORY_SCHEMA:
                    raise ValueError(f'{path}:{number}: not a {TRAJECTORY_SCHEMA} record')
                if reward_filter is not None and record.get('reward') != reward_filter:
                    continue
                record['_source'] = f'{path}:{number}'
                records.append(record)
    return records


def render_trajectory(tokenizer, spec: TemplateSpec, record: dict) -> RenderedTrajectory:
    """Tokenise a trajectory's path once and each turn's label a*_t (in place where it lies on the path)."""
    where = record.get('_source', record.get('episodeId', '?'))
    tools = record.get('tools') or None
    turns = sorted(record.get('turns') or [], key=lambda turn: turn['turn'])
    labelled = [i for i, turn in enumerate(turns) if (turn.get('label') or {}).get('action') is not None]
    if not labelled:
        return RenderedTrajectory([], [])
    messages = list(record['prompt'])
    for turn in turns[: labelled[-1] + 1]:
        messages.extend(turn_messages(turn['executed'], turn['observation']))
    template_messages = canonical_to_template(messages)
    try:
        path = render_conversation(tokenizer, spec, template_messages, tools, False)
    except TemplateError as error:
        raise TemplateError(f'{where}: {error}') from error
    # The k-th assistant message after the prompt's own is turn k's executed action.
    first = sum(1 for m in record['prompt'] if m['role'] == 'assistant')
    transitions = []
    for i in labelled:
        turn = turns[i]
        index = _message_index(template_messages, first + i)
        char_start, char_end = path.char_spans[first + i]
        token_start, token_end = path.assistant_spans[first + i]
        label = canonical_to_template([action_message(turn['label']['action'])])[0]
        if label == template_messages[index]:
            transitions.append(Transition(turn['turn'], token_start, path.ids[token_start:token_end], True))
            continue
        text = render_text(tokenizer, template_messages[:index] + [label], tools, False)
        if not text.startswith(path.text[:char_start]):
            raise TemplateError(f'{where} turn {turn["turn"]}: the history renders differently before its label')
        label_text = text[char_start : assistant_end(spec, text, char_start, f'{where} turn {turn["turn"]}')]
        on_path = label_text == path.text[char_start:char_end]
        label_ids = path.ids[token_start:token_end] if on_path else encode(tokenizer, label_text)
        transitions.append(Transition(turn['turn'], token_start, label_ids, on_path))
    return RenderedTrajectory(path.ids, transitions)


def _message_index(messages: list[dict], assistant_number: int) -> int:
    seen = -1
    for index, message in enumerate(messages):
        if message['role'] == 'assistant':
            seen += 1
            if seen == assistant_number:
                return index
    raise IndexError(f'no assistant message number {assistant_number}')


def build_sequences(
    trajectories: list[RenderedTrajectory], packing: str, max_len: int
) -> tuple[list[Sequence], PackStats, int]:
    """Training sequences of the whole dataset, with their statistics and the token count of the naive expansion."""
    if packing not in ('tree', 'none'):
        raise ValueError(f"packing must be 'tree' or 'none', got {packing!r}")
    stats = PackStats()
    sequences: list[Sequence] = []
    naive_tokens = 0
    for trajectory in trajectories:
        pack = pack_tree if packing == 'tree' else expand_naive
        sequences.extend(pack(trajectory, max_len, stats))
        naive_tokens += sum(t.prefix_len + len(t.label) for t in trajectory.transitions if t.prefix_len + len(t.label) <= max_len)
    return sequences, stats, naive_tokens
