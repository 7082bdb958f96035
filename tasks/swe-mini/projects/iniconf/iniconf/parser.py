"""Parse INI text into {section: {option: raw value}}."""
from .errors import ParseError

COMMENT_PREFIXES = ("#", ";")


def _strip_inline_comment(value):
    # An inline comment starts with a comment prefix preceded by whitespace.
    for i, ch in enumerate(value):
        if ch in COMMENT_PREFIXES and i > 0 and value[i - 1].isspace():
            return value[:i].rstrip()
    return value


def parse(text):
    sections = {}
    current = None
    last_key = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(COMMENT_PREFIXES):
            continue
        if raw[0].isspace() and last_key is not None:
            # Continuation of the previous option's value.
            current[last_key] += "\n" + _strip_inline_comment(stripped)
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise ParseError(lineno, "unterminated section header %r" % stripped)
            name = stripped[1:-1].strip()
            current = sections.setdefault(name, {})
            last_key = None
            continue
        if current is None:
            raise ParseError(lineno, "option outside of any section")
        for sep_at, ch in enumerate(stripped):
            if ch in "=:":
                break
        else:
            raise ParseError(lineno, "expected 'key = value', got %r" % stripped)
        key = stripped[:sep_at].strip().lower()
        value = _strip_inline_comment(stripped[sep_at + 1:].strip())
        if not key:
            raise ParseError(lineno, "empty option name")
        current[key] = value
        last_key = key
    return sections
