"""Chat templates made here (no weights or tokenizers can be downloaded) and the tool-call formats they use.

Two families, so the renderer and the loss mask are exercised on more than one convention:

- ``chatml-json``: ChatML turns with native tool calls in Qwen2.5's style: tools are listed as JSON schemas in
  the system turn, a call is ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` and tool results come
  back inside ``<tool_response>`` blocks.
- ``chatml-brief``: the same, with the tools listed as one line each (name and parameter names), for a tiny
  student trained from scratch on a fixed tool set (a short fixed prompt is much easier for it to learn over).
- ``header-xml``: Llama-3-style header turns for a model without tool calling: tools are described in prose in the
  system prompt, a call is text (``<function=NAME><parameter=K>V</parameter></function>``, the form OpenHands and
  Qwen3-Coder use) and tool results come back as user turns.

A model directory records its template family in ``agent_dagger.json`` (see model.py); models made elsewhere are
recognised from their template text.

The published templates of the paper's students are vendored under ``chat_templates/`` (source and licence in its
README): Qwen3-8B's (hybrid thinking) and Qwen3-4B-Instruct-2507's. A real student directory carries its own
template; the vendored copies let the tests render exactly what those students see without downloading anything.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

CHATML_JSON = (
    "{%- set ns = namespace(system='') -%}"
    "{%- if messages and messages[0].role == 'system' -%}{%- set ns.system = messages[0].content -%}{%- endif -%}"
    "{%- if tools -%}"
    "{{- '<|im_start|>system\\n' + ns.system + ('\\n\\n' if ns.system else '') -}}"
    "{{- '# Tools\\n\\nYou may call one function per turn. Function signatures are listed within <tools></tools>:\\n<tools>' -}}"
    "{%- for tool in tools -%}{{- '\\n' + (tool | tojson) -}}{%- endfor -%}"
    "{{- '\\n</tools>\\n\\nTo call a function, reply with a JSON object holding its name and arguments within '"
    " + '<tool_call></tool_call> tags:\\n<tool_call>\\n{\"name\": <function-name>, \"arguments\": <args-json-object>}'"
    " + '\\n</tool_call><|im_end|>\\n' -}}"
    "{%- elif ns.system -%}"
    "{{- '<|im_start|>system\\n' + ns.system + '<|im_end|>\\n' -}}"
    "{%- endif -%}"
    "{%- for message in messages -%}"
    "{%- if message.role == 'system' and loop.first -%}"
    "{%- elif message.role == 'assistant' -%}"
    "{{- '<|im_start|>assistant\\n' + (message.content or '') -}}"
    "{%- for call in (message.tool_calls or []) -%}"
    "{%- if message.content or not loop.first -%}{{- '\\n' -}}{%- endif -%}"
    "{{- '<tool_call>\\n{\"name\": ' + (call.function.name | tojson) + ', \"arguments\": '"
    " + (call.function.arguments | tojson) + '}\\n</tool_call>' -}}"
    "{%- endfor -%}"
    "{{- '<|im_end|>\\n' -}}"
    "{%- elif message.role == 'tool' -%}"
    "{%- if loop.first or messages[loop.index0 - 1].role != 'tool' -%}{{- '<|im_start|>user' -}}{%- endif -%}"
    "{{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' -}}"
    "{%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{- '<|im_end|>\\n' -}}{%- endif -%}"
    "{%- else -%}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}"
)

# The same turns and tool-call format as CHATML_JSON, but the tools are listed by name and parameter names only
# (one line each) instead of as JSON schemas: for a small model trained from scratch on a fixed tool set, whose
# attention is diluted by every token of a long fixed prompt (docs/toy-tasks.md, "Learnability").
CHATML_BRIEF = CHATML_JSON.replace(
    (
        "{{- '# Tools\\n\\nYou may call one function per turn. Function signatures are listed within <tools></tools>:\\n<tools>' -}}"
        "{%- for tool in tools -%}{{- '\\n' + (tool | tojson) -}}{%- endfor -%}"
        "{{- '\\n</tools>\\n\\nTo call a function, reply with a JSON object holding its name and arguments within '"
        " + '<tool_call></tool_call> tags:\\n<tool_call>\\n{\"name\": <function-name>, \"arguments\": <args-json-object>}'"
        " + '\\n</tool_call><|im_end|>\\n' -}}"
    ),
    (
        "{{- '# Tools' -}}"
        "{%- for tool in tools -%}{{- '\\n' + tool.function.name + '(' + (((tool.function.parameters or {}).properties or {}).keys() | join(', ')) + ')' -}}{%- endfor -%}"
        "{{- '\\nCall one per turn: <tool_call>\\n{\"name\": ..., \"arguments\": {...}}\\n</tool_call><|im_end|>\\n' -}}"
    ),
)
assert CHATML_BRIEF != CHATML_JSON, 'the tools block of CHATML_JSON changed: update CHATML_BRIEF'

HEADER_XML = (
    "{{- '<|begin_of_text|>' -}}"
    "{%- set ns = namespace(system='') -%}"
    "{%- if messages and messages[0].role == 'system' -%}{%- set ns.system = messages[0].content -%}{%- endif -%}"
    "{%- if tools -%}"
    "{%- set ns.system = ns.system + ('\\n\\n' if ns.system else '') + 'You can use these functions:' -%}"
    "{%- for tool in tools -%}"
    "{%- set fn = tool.function -%}"
    "{%- set ns.system = ns.system + '\\n\\n## ' + fn.name + '\\n' + (fn.description or '') + '\\nParameters:' -%}"
    "{%- set props = (fn.parameters or {}).properties or {} -%}"
    "{%- set required = (fn.parameters or {}).required or [] -%}"
    "{%- for pname, pspec in props.items() -%}"
    "{%- set ns.system = ns.system + '\\n- ' + pname + ' (' + (pspec.type or 'any') | string"
    " + (', required' if pname in required else ', optional') + '): ' + (pspec.description or '') -%}"
    "{%- endfor -%}"
    "{%- endfor -%}"
    "{%- set ns.system = ns.system + '\\n\\nTo call a function, reply with exactly one call in this form and nothing after it:'"
    " + '\\n<function=NAME>\\n<parameter=PARAMETER_NAME>value</parameter>\\n</function>' -%}"
    "{%- endif -%}"
    "{%- if ns.system -%}"
    "{{- '<|start_header_id|>system<|end_header_id|>\\n\\n' + ns.system + '<|eot_id|>' -}}"
    "{%- endif -%}"
    "{%- for message in messages -%}"
    "{%- if message.role == 'system' and loop.first -%}"
    "{%- elif message.role == 'assistant' -%}"
    "{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' + (message.content or '') -}}"
    "{%- for call in (message.tool_calls or []) -%}"
    "{%- if message.content or not loop.first -%}{{- '\\n' -}}{%- endif -%}"
    "{{- '<function=' + call.function.name + '>\\n' -}}"
    "{%- for key, value in call.function.arguments.items() -%}"
    "{{- '<parameter=' + key + '>' + (value if value is string else (value | tojson)) + '</parameter>\\n' -}}"
    "{%- endfor -%}"
    "{{- '</function>' -}}"
    "{%- endfor -%}"
    "{{- '<|eot_id|>' -}}"
    "{%- elif message.role == 'tool' -%}"
    "{{- '<|start_header_id|>user<|end_header_id|>\\n\\nEXECUTION RESULT of [' + (message.name or 'tool') + ']:\\n'"
    " + message.content + '<|eot_id|>' -}}"
    "{%- else -%}"
    "{{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content + '<|eot_id|>' -}}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}{%- endif -%}"
)


@dataclass(frozen=True)
class TemplateSpec:
    """What the trainer and the server must know about a chat template beyond its Jinja text."""

    name: str
    chat_template: str
    # How tool calls appear in the model's text: 'json' (<tool_call>{...}</tool_call>) or 'xml' (<function=...>).
    tool_format: str
    # The token that ends an assistant turn: the last label token and the generation stop token.
    end_of_turn: str
    # Tokens that must never be split by the tokenizer (the chat markup).
    special_tokens: tuple[str, ...]
    # Markup that gets one token each but stays in decoded text (Qwen does the same for its tool-call tags).
    added_tokens: tuple[str, ...] = ()
    # Extra template variables the server renders with (vLLM's `--default-chat-template-kwargs`), e.g.
    # {"enable_thinking": false} for Qwen3-8B served without thinking: training must render with the same ones.
    chat_template_kwargs: dict = field(default_factory=dict)


TEMPLATES: dict[str, TemplateSpec] = {
    'chatml-json': TemplateSpec(
        'chatml-json', CHATML_JSON, 'json', '<|im_end|>', ('<|endoftext|>', '<|im_start|>', '<|im_end|>'),
        ('<tool_call>', '</tool_call>', '<tool_response>', '</tool_response>'),
    ),
    'chatml-brief': TemplateSpec(
        'chatml-brief', CHATML_BRIEF, 'json', '<|im_end|>', ('<|endoftext|>', '<|im_start|>', '<|im_end|>'),
        ('<tool_call>', '</tool_call>', '<tool_response>', '</tool_response>'),
    ),
    'header-xml': TemplateSpec(
        'header-xml',
        HEADER_XML,
        'xml',
        '<|eot_id|>',
        ('<|begin_of_text|>', '<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'),
    ),
}

SPEC_FILE = 'agent_dagger.json'

_VENDORED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'chat_templates')
# The published chat templates of the paper's students (chat_templates/README.md says where each comes from).
VENDORED_TEMPLATES = {'qwen3-8b': 'qwen3-8b.jinja', 'qwen3-4b-instruct-2507': 'qwen3-4b-instruct-2507.jinja'}


def vendored_template(name: str) -> str:
    """The Jinja text of a vendored published template, by name (see VENDORED_TEMPLATES)."""
    if name not in VENDORED_TEMPLATES:
        raise ValueError(f'no vendored chat template {name!r}; choose one of {", ".join(VENDORED_TEMPLATES)}')
    with open(os.path.join(_VENDORED_DIR, VENDORED_TEMPLATES[name]), encoding='utf-8') as f:
        return f.read()


def save_spec(model_dir: str, spec: TemplateSpec) -> None:
    meta = {'template': spec.name, 'tool_format': spec.tool_format, 'end_of_turn': spec.end_of_turn}
    if spec.chat_template_kwargs:
        meta['chat_template_kwargs'] = spec.chat_template_kwargs
    with open(os.path.join(model_dir, SPEC_FILE), 'w') as f:
        json.dump(meta, f)


def load_spec(model_dir: str, tokenizer) -> TemplateSpec:
    """The template spec of a model directory: agent_dagger.json where it says, else recognised from the template.

    agent_dagger.json may hold any of `template`, `tool_format`, `end_of_turn` and `chat_template_kwargs`.
    """
    template = tokenizer.chat_template
    if not isinstance(template, str) or not template:
        raise ValueError(f'the tokenizer in {model_dir} has no chat template; create the model with `init-model`')
    path = os.path.join(model_dir, SPEC_FILE)
    meta = {}
    if os.path.exists(path):
        with open(path) as f:
            meta = json.load(f)
        if not isinstance(meta, dict):
            raise ValueError(f'{path}: expected a JSON object')
    kwargs = meta.get('chat_template_kwargs', {})
    if not isinstance(kwargs, dict):
        raise ValueError(f'{path}: chat_template_kwargs must be an object, e.g. {{"enable_thinking": false}}')
    if 'enable_thinking' in template and 'enable_thinking' not in kwargs:
        # Qwen3's hybrid template renders a different generation prompt with thinking on or off; guessing would
        # train the student on a prompt its server never sends.
        raise ValueError(
            f'the chat template in {model_dir} switches on `enable_thinking`: say how the student is served by writing '
            f'{path} with "chat_template_kwargs": {{"enable_thinking": false}} (vLLM run with '
            '--default-chat-template-kwargs \'{"enable_thinking": false}\', as the paper serves Qwen3-8B) or '
            '{"enable_thinking": true} (vLLM\'s default)')
    name = meta.get('template') or next(
        (known for known in VENDORED_TEMPLATES if vendored_template(known) == template), 'external')
    tool_format = meta.get('tool_format') or (
        'json' if '<tool_call>' in template and '<function=' not in template else 'xml')
    end_of_turn = meta.get('end_of_turn') or tokenizer.eos_token
    if not end_of_turn:
        raise ValueError(f'the tokenizer in {model_dir} has no eos token to end an assistant turn; '
                         f'write "end_of_turn" into {path}')
    return TemplateSpec(name, template, tool_format, end_of_turn, (), chat_template_kwargs=kwargs)
