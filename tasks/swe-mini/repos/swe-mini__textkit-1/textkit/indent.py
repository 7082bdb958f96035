"""Indentation helpers."""


def _leading_whitespace(line):
    return line[: len(line) - len(line.lstrip(" \t"))]


def dedent(text):
    """Remove the whitespace prefix common to all non-blank lines.

    Lines consisting only of whitespace are ignored when computing the prefix and
    are normalised to empty lines in the output.
    """
    lines = text.split("\n")
    prefix = None
    for line in lines:
        if not line.strip():
            continue
        lead = _leading_whitespace(line)
        if prefix is None:
            prefix = lead
        else:
            common = 0
            for a, b in zip(prefix, lead):
                if a != b:
                    break
                common += 1
            prefix = prefix[:common]
    if not prefix:
        return "\n".join("" if not line.strip() else line for line in lines)
    out = []
    for line in lines:
        out.append("" if not line.strip() else line[len(prefix):])
    return "\n".join(out)


def indent(text, prefix, predicate=None):
    """Add `prefix` to the lines selected by `predicate` (default: non-blank lines)."""
    if predicate is None:
        def predicate(line):
            return bool(line.strip())
    return "".join(prefix + line if predicate(line) else line for line in text.splitlines(True))
