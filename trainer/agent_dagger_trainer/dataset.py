"""The aggregated dataset D: JSON lines -> rendered trajectories -> training sequences.

Two kinds of line: TrajectoryRecords (imitation: the teacher's labels, rendered here with the model's template) and
PolicySamplesRecords (opd, grpo: the student's own turns as the token ids it was served and sampled, each sampled
token with the values its objective weighs it by; nothing to render).
"""
from __future__ import annotations

import json

from .objective import Objective
from .packing import PackStats, RenderedTrajectory, Sequence, Transition, expand_naive, pack_tree
from .render import (
    PrefixEncoder, action_message, canonical_to_template, common_prefix, encode, label_text, render_text, turn_messages)
from .templates import TemplateSpec

TRAJECTORY_SCHEMA = 'agent-dagger/trajectory@1'
SAMPLES_SCHEMA = 'agent-dagger/policy-samples@1'


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
                if not isinstance(record, dict) or record.get('schema') not in (TRAJECTORY_SCHEMA, SAMPLES_SCHEMA):
                    raise ValueError(f'{path}:{number}: neither a {TRAJECTORY_SCHEMA} nor a {SAMPLES_SCHEMA} record')
                if reward_filter is not None and record.get('reward') != reward_filter:
                    continue
                record['_source'] = f'{path}:{number}'
                records.append(record)
    return records


def render_trajectory(tokenizer, spec: TemplateSpec, record: dict) -> RenderedTrajectory:
    """A trajectory's path and, for every labelled turn t, its example (h_t, a*_t) exactly as the server sees it.

    The path is the whole episode rendered and tokenised once. Turn t's prompt is the server's prompt for h_t
    (generation prompt included) and its label the tokens the model generates after it. The prompt shares the
    longest common token prefix with the path; the rest of the prompt (e.g. the empty think block that Qwen3's
    template puts only into a generation prompt) is the transition's prompt tail, in front of the label on its
    branch and without loss. A label whose prompt is wholly on the path and whose tokens continue the path there (a
    teacher-executed turn, with a prefix-consistent template) stays on the path.
    """
    where = record.get('_source', record.get('episodeId', '?'))
    tools = record.get('tools') or None
    turns = sorted(record.get('turns') or [], key=lambda turn: turn['turn'])
    labelled = [i for i, turn in enumerate(turns) if (turn.get('label') or {}).get('action') is not None]
    if not labelled:
        return RenderedTrajectory([], [])
    canonical = list(record['prompt'])
    for turn in turns[: labelled[-1] + 1]:
        canonical.extend(turn_messages(turn['executed'], turn['observation']))
    # Converted at once: a tool message takes its name from the call it answers.
    messages = canonical_to_template(canonical)
    encoder = PrefixEncoder(tokenizer, render_text(tokenizer, messages, tools, False, spec.chat_template_kwargs))
    path = encoder.ids
    transitions = []
    for i in labelled:
        turn = turns[i]
        history = messages[: len(record['prompt']) + 2 * i]
        label = canonical_to_template([action_message(turn['label']['action'])])[0]
        prompt_text, text = label_text(tokenizer, spec, history, label, tools, f'{where} turn {turn["turn"]}')
        prompt, label_ids = encoder.encode(prompt_text), encode(tokenizer, text)
        shared = common_prefix(prompt, path)
        if shared == len(prompt) and list(path[shared: shared + len(label_ids)]) == label_ids:
            transitions.append(Transition(turn['turn'], shared, label_ids, True))
        else:
            transitions.append(Transition(turn['turn'], shared, label_ids, False, prompt[shared:]))
    return RenderedTrajectory(path, transitions)


def dataset_objective(records: list[dict]) -> Objective:
    """The objective the dataset was collected for: imitation for trajectories, else the one every samples record
    names (its method, clip range and KL coefficient). A dataset that mixes them cannot be trained as one."""
    objectives = {json.dumps(r['objective'], sort_keys=True) if r['schema'] == SAMPLES_SCHEMA else 'imitation'
                  for r in records}
    if len(objectives) > 1:
        sources = sorted({r.get('_source', '?').rsplit(':', 1)[0] for r in records})
        raise ValueError(f'the datasets {sources} mix objectives {sorted(objectives)}; a train step trains one objective: '
                         'train them separately (demonstrations are imitation data)')
    found = objectives.pop() if objectives else 'imitation'
    if found == 'imitation':
        return Objective()
    settings = json.loads(found)
    return Objective(settings['method'], settings['clipEpsilon'], settings['klCoef'])


def samples_trajectories(record: dict, objective: Objective) -> list[RenderedTrajectory]:
    """An episode's sampled turns as one tree: the path is the last turn's prompt and tokens; a turn whose prompt and
    tokens lie on that path trains in place, any other branches off where its prompt leaves the path (the end of its
    prompt then precedes its tokens on the branch, without loss), exactly as packing handles a rendered trajectory.
    Packing needs the turns' ends on the path in order; where they are not (a template that re-renders early
    history), each turn is a trajectory of its own: the same loss, more tokens."""
    where = record.get('_source', record.get('episodeId', '?'))
    turns = sorted(record.get('turns') or [], key=lambda turn: turn['turn'])
    if not turns:
        return []
    examples = []
    for turn in turns:
        missing = [name for name in objective.needs if name not in turn['values']]
        if missing:
            raise ValueError(f'{where} turn {turn["turn"]}: {objective.method} needs {missing} per token; the record has '
                             f'{sorted(turn["values"])}')
        examples.append((turn['turn'], list(turn['promptTokenIds']), list(turn['tokenIds']),
                         {name: turn['values'][name] for name in objective.needs}))
    path = examples[-1][1] + examples[-1][2]
    transitions = []
    for number, prompt, tokens, values in examples:
        shared = common_prefix(prompt, path)
        if shared == len(prompt) and path[shared: shared + len(tokens)] == tokens:
            transitions.append(Transition(number, shared, tokens, True, label_data=values))
        else:
            transitions.append(Transition(number, shared, tokens, False, prompt[shared:], label_data=values))
    ends = [t.prefix_len + (len(t.label) if t.on_path else 0) for t in transitions]
    if all(a <= b for a, b in zip(ends, ends[1:])):
        return [RenderedTrajectory(path, transitions)]
    return [RenderedTrajectory(prompt + tokens, [Transition(number, len(prompt), tokens, True, label_data=values)])
            for number, prompt, tokens, values in examples]


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
        naive_tokens += sum(size for t in trajectory.transitions
                            if (size := t.prefix_len + len(t.prompt_tail) + len(t.label)) <= max_len)
    return sequences, stats, naive_tokens
