"""Canonical messages -> the student's chat template -> token ids, with the exact span of each assistant message.

The same function tokenises a training history and a serving prompt, so the student is trained on exactly the
tokens it sees and has to emit when served.

Finding label spans robustly: for every assistant message j the template is rendered twice, once for the history
before j with the generation prompt (G_j) and once including j. G_j must be a text prefix of the whole rendering
(checked, with an error naming the message if the template breaks it), and the message's own text runs from the end
of G_j to its end-of-turn token. The text is then tokenised segment by segment between these cut points, so a span
can never straddle a token and the ids of any history are a prefix of the ids of every longer history.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .templates import TemplateSpec


class TemplateError(ValueError):
    """The chat template cannot be cut into assistant spans as the trainer needs."""


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


def render_text(tokenizer, messages: list[dict], tools: list[dict] | None, add_generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(
        messages, tools=tools or None, add_generation_prompt=add_generation_prompt, tokenize=False
    )


def assistant_end(spec: TemplateSpec, text: str, start: int, where: str) -> int:
    """Index just past the end-of-turn token that closes the assistant message starting at `start`."""
    end = text.find(spec.end_of_turn, start)
    if end < 0:
        raise TemplateError(f'{where}: no end-of-turn token {spec.end_of_turn!r} after the assistant message')
    return end + len(spec.end_of_turn)


@dataclass
class Rendered:
    """Token ids of a conversation and the [start, end) token span of each assistant message (through end-of-turn)."""

    ids: list[int]
    assistant_spans: list[tuple[int, int]]
    text: str
    # The same spans in characters of `text`.
    char_spans: list[tuple[int, int]]


def render_conversation(
    tokenizer, spec: TemplateSpec, messages: list[dict], tools: list[dict] | None, add_generation_prompt: bool
) -> Rendered:
    """Render template-shaped messages and tokenise them between assistant-message boundaries."""
    text = render_text(tokenizer, messages, tools, add_generation_prompt)
    char_spans = []
    for j, message in enumerate(messages):
        if message['role'] != 'assistant':
            continue
        where = f'message {j} (assistant)'
        prefix = render_text(tokenizer, messages[:j], tools, True)
        if not text.startswith(prefix):
            raise TemplateError(
                f'{where}: the chat template renders the history before it differently once it is followed by more '
                'turns (not prefix-consistent, e.g. it strips earlier reasoning); use a template that keeps history'
            )
        start = len(prefix)
        end = assistant_end(spec, text, start, where)
        if char_spans and start < char_spans[-1][1]:
            raise TemplateError(f'{where}: its span overlaps the previous assistant message')
        char_spans.append((start, end))
    cuts = sorted({c for span in char_spans for c in span} | {len(text)})
    ids, token_at = tokenize_segments(tokenizer, text, cuts)
    return Rendered(ids, [(token_at[s], token_at[e]) for s, e in char_spans], text, char_spans)


def tokenize_segments(tokenizer, text: str, cuts: list[int]) -> tuple[list[int], dict[int, int]]:
    """Token ids of `text` tokenised piece by piece between the sorted cut points; maps each cut to its token index."""
    ids: list[int] = []
    token_at = {0: 0}
    previous = 0
    for cut in cuts:
        if cut > previous:
            ids.extend(tokenizer.encode(text[previous:cut], add_special_tokens=False))
        token_at[cut] = len(ids)
        previous = cut
    return ids, token_at


def encode(tokenizer, text: str) -> list[int]:
    return tokenizer.encode(text, add_special_tokens=False) if text else []
