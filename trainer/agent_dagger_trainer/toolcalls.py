"""Parse a model's generated text back into reasoning content and tool calls (the inverse of the templates).

Model output is untrusted: anything malformed comes back as plain content with no tool calls, never an exception,
so the agent loop can turn it into an observation the model can recover from.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_JSON_CALL = re.compile(r'<tool_call>(.*?)</tool_call>', re.DOTALL)
_XML_FUNCTION = re.compile(r'<function=([^>\n]+)>(.*?)</function>', re.DOTALL)
_XML_PARAMETER = re.compile(r'<parameter=([^>\n]+)>(.*?)</parameter>', re.DOTALL)


@dataclass
class ParsedCall:
    name: str
    arguments: dict


@dataclass
class ParsedAction:
    content: str
    tool_calls: list[ParsedCall] = field(default_factory=list)


def parse_action(text: str, tool_format: str, tools: list[dict] | None = None) -> ParsedAction:
    """Split generated text into content and tool calls in the given format ('json' or 'xml')."""
    if tool_format == 'json':
        parsed = _parse_json_calls(text)
    elif tool_format == 'xml':
        parsed = _parse_xml_calls(text, _parameter_types(tools or []))
    else:
        raise ValueError(f"unknown tool format {tool_format!r}: expected 'json' or 'xml'")
    return parsed or ParsedAction(content=text)


def _parse_json_calls(text: str) -> ParsedAction | None:
    blocks = list(_JSON_CALL.finditer(text))
    if not blocks:
        return None
    calls = []
    for block in blocks:
        try:
            obj = json.loads(block.group(1))
        except ValueError:
            return None
        if not isinstance(obj, dict) or not isinstance(obj.get('name'), str) or not obj['name']:
            return None
        arguments = obj.get('arguments', {})
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError:
                return None
        if not isinstance(arguments, dict):
            return None
        calls.append(ParsedCall(obj['name'], arguments))
    return ParsedAction(_content_before(text, blocks[0].start()), calls)


def _parse_xml_calls(text: str, types: dict[str, dict[str, str]]) -> ParsedAction | None:
    functions = list(_XML_FUNCTION.finditer(text))
    if not functions:
        return None
    calls = []
    for function in functions:
        name = function.group(1).strip()
        schema = types.get(name, {})
        arguments = {}
        for parameter in _XML_PARAMETER.finditer(function.group(2)):
            key = parameter.group(1).strip()
            arguments[key] = _xml_value(_strip_one_newline(parameter.group(2)), schema.get(key))
        calls.append(ParsedCall(name, arguments))
    # Qwen3-Coder wraps the function in <tool_call> ... </tool_call>; the wrapper is not content.
    start = functions[0].start()
    wrapper = text.rfind('<tool_call>', 0, start)
    if wrapper >= 0 and not text[wrapper + len('<tool_call>'):start].strip():
        start = wrapper
    return ParsedAction(_content_before(text, start), calls)


def _content_before(text: str, index: int) -> str:
    return text[:index].rstrip('\n')


def _strip_one_newline(value: str) -> str:
    # Qwen3-Coder puts a value on its own lines; the inline form does not. Only the framing newlines go.
    if len(value) >= 2 and value.startswith('\n') and value.endswith('\n'):
        return value[1:-1]
    return value


def _xml_value(raw: str, declared_type: str | None):
    """Text parameters stay text; typed ones (integer, array, ...) are JSON when they parse, else left as text."""
    if declared_type in (None, 'string'):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _parameter_types(tools: list[dict]) -> dict[str, dict[str, str]]:
    types: dict[str, dict[str, str]] = {}
    for tool in tools:
        function = tool.get('function') if isinstance(tool, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get('name'), str):
            continue
        properties = (function.get('parameters') or {}).get('properties') or {}
        types[function['name']] = {
            key: spec.get('type') if isinstance(spec, dict) and isinstance(spec.get('type'), str) else None
            for key, spec in properties.items()
        }
    return types
