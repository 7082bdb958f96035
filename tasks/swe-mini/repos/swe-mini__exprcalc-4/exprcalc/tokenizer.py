"""Split an expression into (kind, text, position) tokens."""
import re

from .errors import CalcError

_TOKEN = re.compile(
    r"""
    (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\*\*|[-+*/%(),])
    |(?P<space>\s+)
    """,
    re.VERBOSE,
)


def tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise CalcError("unexpected character %r" % text[pos], pos)
        kind = match.lastgroup
        if kind != "space":
            tokens.append((kind, match.group(), pos))
        pos = match.end()
    tokens.append(("end", "", pos))
    return tokens
