"""Canonical messages -> the student's chat template -> token ids, exactly as an OpenAI-compatible server sees them.

A server (vLLM, or the bundled one) renders a request's messages with the model's own chat template, the request's
tools and its chat-template kwargs (e.g. `enable_thinking`), then tokenises the whole prompt text at once
(`add_special_tokens=False`). `render_conversation` does the same, so a training prompt is token for token the
prompt the student is served, and the bundled server uses it for its prompts.

A label a*_t is what the model generates after the prompt of state t: `label_text` cuts it from the rendering of the
history followed by the label (the template's own rendering of that message when it is the last one), from the end
of the generation prompt through the end-of-turn token. Templates that render the last assistant message
differently from earlier ones (Qwen3 hybrid thinking) are handled, since each label is cut after its own prompt.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

from .templates import TemplateSpec


# ---- message shapes -------------------------------------------------------------------------------------------


def _template_call(call_id: str, name: str, arguments: dict) -> dict:
    return {'type': 'function', 'id': call_id, 'function': {'name': name, 'arguments': arguments}}


def canonical_to_template(messages: list[dict]) -> list[dict]:
    """Canonical messages (core/types.ts `Message`: camelCase, structured arguments) -> the templates' shape."""
    out: list[dict] = []
    names: dict[str, str] = {}
    for index, message in enumerate(messages):
        role = message.get('role')
        if role not in ('system', 'user', 'assistant', 'tool'):
            raise ValueError(f'message {index}: unknown role {role!r}')
        item: dict = {'role': role, 'content': message.get('content') or ''}
        calls = message.get('toolCalls') or []
        if calls:
            item['tool_calls'] = []
            for call in calls:
                if not isinstance(call.get('arguments'), dict):
                    raise ValueError(f'message {index}: tool call {call.get("id")!r} has arguments that are not an object')
                names[call.get('id', '')] = call['name']
                item['tool_calls'].append(_template_call(call.get('id', ''), call['name'], call['arguments']))
        if role == 'tool':
            item['tool_call_id'] = message.get('toolCallId') or ''
            item['name'] = names.get(item['tool_call_id'], 'tool')
        out.append(item)
    return out


def openai_to_template(messages: list) -> list[dict]:
    """OpenAI chat messages (JSON-string arguments, tool_call_id) -> the templates' shape.

    Raises ValueError with the offending index on malformed input (the server answers 400).
    """
    if not isinstance(messages, list) or not messages:
        raise ValueError('messages must be a non-empty list')
    out: list[dict] = []
    names: dict[str, str] = {}
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get('role') not in ('system', 'developer', 'user', 'assistant', 'tool'):
            raise ValueError(f'messages[{index}] must be an object with role system, user, assistant or tool')
        role = 'system' if message['role'] == 'developer' else message['role']
        item: dict = {'role': role, 'content': _text_content(message.get('content'), index)}
        calls = message.get('tool_calls') or []
        if calls:
            item['tool_calls'] = []
            for j, call in enumerate(calls):
                function = call.get('function') if isinstance(call, dict) else None
                if not isinstance(function, dict) or not isinstance(function.get('name'), str):
                    raise ValueError(f'messages[{index}].tool_calls[{j}] needs function.name')
                arguments = function.get('arguments', '{}')
                if isinstance(arguments, str):
                    try:
                        arguments = json.loads(arguments or '{}')
                    except ValueError:
                        arguments = None
                if not isinstance(arguments, dict):
                    raise ValueError(f'messages[{index}].tool_calls[{j}].function.arguments is not a JSON object')
                call_id = str(call.get('id') or '')
                names[call_id] = function['name']
                item['tool_calls'].append(_template_call(call_id, function['name'], arguments))
        if role == 'tool':
            item['tool_call_id'] = str(message.get('tool_call_id') or '')
            item['name'] = message.get('name') or names.get(item['tool_call_id'], 'tool')
        out.append(item)
    return out


def _text_content(content, index: int) -> str:
    if content is None:
        return ''
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and part.get('type') == 'text' and isinstance(part.get('text'), str):
                parts.append(part['text'])
            else:
                raise ValueError(f'messages[{index}].content: only text parts are supported')
        return ''.join(parts)
    raise ValueError(f'messages[{index}].content must be a string or a list of text parts')


def action_message(action: dict) -> dict:
    """A canonical Action as the canonical assistant message that carries it (at most one call, as executed)."""
    message = {'role': 'assistant', 'content': action.get('content') or ''}
    calls = action.get('toolCalls') or []
    if calls:
        message['toolCalls'] = calls[:1]
    return message


def turn_messages(executed: dict, observation: dict) -> list[dict]:
    """The messages one executed turn adds to the history (mirrors `turnMessages` in core/types.ts)."""
    assistant = action_message(executed)
    text = observation.get('text') or ''
    calls = assistant.get('toolCalls')
    if calls:
        return [assistant, {'role': 'tool', 'content': text, 'toolCallId': calls[0].get('id', '')}]
    return [assistant, {'role': 'user', 'content': text}]


# ---- rendering ------------------------------------------------------------------------------------------------


class TemplateError(ValueError):
    """The chat template does not render a label as a continuation of its own prompt."""


def render_text(tokenizer, messages: list[dict], tools: list[dict] | None, add_generation_prompt: bool,
                template_kwargs: dict | None = None) -> str:
    return tokenizer.apply_chat_template(
        messages, tools=tools or None, add_generation_prompt=add_generation_prompt, tokenize=False,
        **(template_kwargs or {}))


def encode(tokenizer, text: str) -> list[int]:
    """Token ids of text as a server tokenises a rendered prompt (whole, no special tokens added)."""
    return tokenizer.encode(text, add_special_tokens=False) if text else []


class PrefixEncoder:
    """`encode` for texts that share long prefixes with one reference text (an episode's prompts and its whole path).

    A tokenizer splits its input at added tokens (the chat markup: `<|im_start|>`, `<|im_end|>`, ...) before
    pre-tokenising the pieces between them, so the tokens of a text up to such a token do not depend on what
    follows it. A text is therefore encoded as the reference's tokens up to the last added token both share, then
    the rest on its own: the same ids as encoding it whole, at a cost linear in the rest.
    """

    def __init__(self, tokenizer, reference: str):
        self.tokenizer, self.reference = tokenizer, reference
        self.ids: list[int] = encode(tokenizer, reference)
        self.cuts: list[tuple[int, int]] = []  # (character end, token count) just after each isolated added token
        if reference and getattr(tokenizer, 'is_fast', False):
            offsets = tokenizer(reference, add_special_tokens=False, return_offsets_mapping=True)['offset_mapping']
            # An added token that strips neighbouring spaces or must stand alone as a word depends on its neighbours.
            isolated = {i for i, t in tokenizer.added_tokens_decoder.items()
                        if not (t.lstrip or t.rstrip or t.single_word)}
            self.cuts = [(end, k + 1) for k, (token, (_, end)) in enumerate(zip(self.ids, offsets)) if token in isolated]

    def encode(self, text: str) -> list[int]:
        shared = common_prefix(text, self.reference)
        index = bisect.bisect_right(self.cuts, (shared, len(self.ids) + 1)) - 1
        if index < 0:
            return encode(self.tokenizer, text)
        end, count = self.cuts[index]
        return self.ids[:count] + encode(self.tokenizer, text[end:])


def common_prefix(a, b) -> int:
    """Length of the longest common prefix of two strings or lists (binary search over slice comparisons, which
    run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass
class Rendered:
    ids: list[int]
    text: str


def render_conversation(
    tokenizer, spec: TemplateSpec, messages: list[dict], tools: list[dict] | None, add_generation_prompt: bool
) -> Rendered:
    """Template-shaped messages rendered and tokenised as the server does for a chat request."""
    text = render_text(tokenizer, messages, tools, add_generation_prompt, spec.chat_template_kwargs)
    return Rendered(encode(tokenizer, text), text)


def label_text(tokenizer, spec: TemplateSpec, history: list[dict], label: dict, tools: list[dict] | None,
               where: str) -> tuple[str, str]:
    """(prompt, label): the generation prompt of `history` and the text the model generates after it for `label`.

    The label runs from the end of the prompt through the first end-of-turn token in the rendering of
    history + [label].
    """
    prompt = render_text(tokenizer, history, tools, True, spec.chat_template_kwargs)
    full = render_text(tokenizer, history + [label], tools, False, spec.chat_template_kwargs)
    if not full.startswith(prompt):
        raise TemplateError(
            f'{where}: the chat template renders the history differently once the label follows it, so the label '
            'is not a continuation of the prompt the server sends; use a template whose generation prompt starts '
            'the assistant message it renders')
    end = full.find(spec.end_of_turn, len(prompt))
    if end < 0:
        raise TemplateError(f'{where}: no end-of-turn token {spec.end_of_turn!r} after the label')
    return prompt, full[len(prompt): end + len(spec.end_of_turn)]
