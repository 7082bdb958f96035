"""Rendering into the chat templates: label spans, loss masks and tool-call parsing."""
import pytest
from transformers import AutoTokenizer

from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.packing import expand_naive, pack_tree
from agent_dagger_trainer.render import (
    action_message, canonical_to_template, render_conversation, render_text, turn_messages)
from agent_dagger_trainer.templates import load_spec
from agent_dagger_trainer.toolcalls import parse_action
from fixtures import trajectory

TEMPLATES = ('chatml-json', 'chatml-brief', 'header-xml')


def _history(record, t):
    messages = list(record['prompt'])
    for turn in record['turns'][:t]:
        messages.extend(turn_messages(turn['executed'], turn['observation']))
    return messages


def _label_text(tokenizer, spec, record, t):
    """The label a*_t as the template renders it after h_t, found independently of render.py's cutting."""
    history = canonical_to_template(_history(record, t))
    label = canonical_to_template([action_message(record['turns'][t]['label']['action'])])[0]
    prefix = tokenizer.apply_chat_template(history, tools=record['tools'], add_generation_prompt=True, tokenize=False)
    full = tokenizer.apply_chat_template(history + [label], tools=record['tools'], tokenize=False)
    assert full.startswith(prefix)
    rest = full[len(prefix):]
    return rest[: rest.index(spec.end_of_turn) + len(spec.end_of_turn)]


@pytest.mark.parametrize('template', TEMPLATES)
def test_loss_only_on_label_tokens(models, template):
    tokenizer = AutoTokenizer.from_pretrained(models[template])
    spec = load_spec(models[template], tokenizer)
    for seed in range(4):
        record = trajectory(seed, 7)
        rendered = render_trajectory(tokenizer, spec, record)
        assert {t.on_path for t in rendered.transitions} == {True, False}, 'the fixture must mix teacher and student'
        for pack in (pack_tree, expand_naive):
            decoded_labels = []
            for sequence in pack(rendered, 10**6):
                # Loss terms, grouped into runs of consecutive target positions, are exactly the labels.
                runs, previous = [], None
                for target in sequence.loss_targets:
                    if previous is None or target != previous + 1 or sequence.branch[target] != sequence.branch[previous]:
                        runs.append([])
                    runs[-1].append(sequence.input_ids[target])
                    previous = target
                decoded_labels.extend(tokenizer.decode(run) for run in runs)
            expected = [_label_text(tokenizer, spec, record, t) for t in range(len(record['turns']))]
            assert sorted(decoded_labels) == sorted(expected)
            assert all(text.endswith(spec.end_of_turn) for text in decoded_labels)


@pytest.mark.parametrize('template', TEMPLATES)
def test_naive_example_is_the_rendered_history_plus_label(models, template):
    """The shared-path shortcut yields the same ids as rendering (h_t, a*_t) on its own."""
    tokenizer = AutoTokenizer.from_pretrained(models[template])
    spec = load_spec(models[template], tokenizer)
    record = trajectory(11, 6)
    naive = expand_naive(render_trajectory(tokenizer, spec, record), 10**6)
    for t, sequence in enumerate(naive):
        messages = _history(record, t) + [action_message(record['turns'][t]['label']['action'])]
        alone = render_conversation(tokenizer, spec, canonical_to_template(messages), record['tools'], False)
        start, end = alone.assistant_spans[-1]
        assert sequence.input_ids == alone.ids[:end]
        assert sequence.loss_targets == list(range(start, end))
        # The history's ids are the ids the server renders for the same prompt.
        served = render_conversation(tokenizer, spec, canonical_to_template(_history(record, t)), record['tools'], True)
        assert served.ids == alone.ids[:start]


@pytest.mark.parametrize('template', TEMPLATES)
def test_rendered_tool_call_parses_back(models, template):
    tokenizer = AutoTokenizer.from_pretrained(models[template])
    spec = load_spec(models[template], tokenizer)
    record = trajectory(3, 1)
    arguments = {'command': 'view', 'path': '/repo/a b.py', 'view_range': [1, 12], 'insert_line': 3}
    label = {'role': 'assistant', 'content': 'Look at it.',
             'toolCalls': [{'id': 'x', 'name': 'str_replace_editor', 'arguments': arguments}]}
    messages = canonical_to_template(record['prompt'])
    prefix = render_text(tokenizer, messages, record['tools'], True)
    full = render_text(tokenizer, messages + canonical_to_template([label]), record['tools'], False)
    generated = full[len(prefix): full.index(spec.end_of_turn, len(prefix))]
    parsed = parse_action(generated, spec.tool_format, record['tools'])
    assert parsed.content == 'Look at it.'
    assert [(c.name, c.arguments) for c in parsed.tool_calls] == [('str_replace_editor', arguments)]


@pytest.mark.parametrize('text,fmt', [
    ('<tool_call>\n{"name": "execute_bash", "arguments": {"command": "ls"\n</tool_call>', 'json'),
    ('<tool_call>\n["not", "an", "object"]\n</tool_call>', 'json'),
    ('<tool_call>\n{"name": "execute_bash"', 'json'),
    ('<function=execute_bash>\n<parameter=command>ls', 'xml'),
    ('just words', 'xml'),
])
def test_malformed_output_is_plain_content(text, fmt):
    parsed = parse_action(text, fmt)
    assert parsed.content == text and parsed.tool_calls == []


def test_qwen3_coder_xml_inside_tool_call_block():
    text = 'Run it.\n<tool_call>\n<function=execute_bash>\n<parameter=command>\npytest -q\n</parameter>\n</function>\n</tool_call>'
    parsed = parse_action(text, 'xml', [{'type': 'function', 'function': {'name': 'execute_bash', 'parameters': {
        'type': 'object', 'properties': {'command': {'type': 'string'}}}}}])
    assert parsed.content == 'Run it.'
    assert [(c.name, c.arguments) for c in parsed.tool_calls] == [('execute_bash', {'command': 'pytest -q'})]


def test_brief_template_lists_each_tool_in_one_line(models):
    """chatml-brief: the same calls and turns as chatml-json, with a far shorter tool listing."""
    record = trajectory(0, 3)
    rendered = {}
    for template in ('chatml-json', 'chatml-brief'):
        tokenizer = AutoTokenizer.from_pretrained(models[template])
        system = tokenizer.apply_chat_template(canonical_to_template(record['prompt'][:1]), tools=record['tools'], tokenize=False)
        rendered[template] = system
    brief = rendered['chatml-brief']
    for tool in record['tools']:
        fn = tool['function']
        assert f"{fn['name']}({', '.join(fn['parameters']['properties'])})" in brief
    assert len(brief) * 2 < len(rendered['chatml-json'])
    # From the end of the system turn on, both templates render a conversation identically.
    history = canonical_to_template(_history(record, 3))
    tails = [AutoTokenizer.from_pretrained(models[t]).apply_chat_template(history, tools=record['tools'], tokenize=False)
             .split('<|im_end|>\n', 1)[1] for t in ('chatml-json', 'chatml-brief')]
    assert tails[0] == tails[1]
