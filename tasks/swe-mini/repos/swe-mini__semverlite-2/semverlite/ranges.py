"""npm-style version ranges: comparators joined by spaces (AND) and `||` (OR), with ^ and ~."""
import operator

from .version import Version

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}


def _partial(text):
    """Parse "1", "1.2" or "1.2.3" (or a full version); returns (Version, number of given parts)."""
    parts = text.split("-")[0].split("+")[0].split(".")
    if len(parts) == 3:
        return Version.parse(text), 3
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return Version(*numbers), len(parts)


def _expand(token):
    """One range token → list of (operator, Version) comparators."""
    if token.startswith("^"):
        low, _ = _partial(token[1:])
        if low.major > 0:
            high = Version(low.major + 1, 0, 0)
        elif low.minor > 0:
            high = Version(0, low.minor + 1, 0)
        else:
            high = Version(0, 0, low.patch + 1)
        return [(">=", low), ("<", high)]
    if token.startswith("~"):
        low, given = _partial(token[1:])
        high = Version(low.major + 1, 0, 0) if given == 1 else Version(low.major, low.minor + 1, 0)
        return [(">=", low), ("<", high)]
    for op in (">=", "<=", ">", "<", "="):
        if token.startswith(op):
            return [(op, Version.parse(token[len(op):]))]
    return [("=", Version.parse(token))]


class Range:
    def __init__(self, text):
        self.text = text
        self.alternatives = []
        for alternative in text.split("||"):
            comparators = []
            for token in alternative.split():
                comparators.extend(_expand(token))
            self.alternatives.append(comparators)

    def __contains__(self, version):
        if isinstance(version, str):
            version = Version.parse(version)
        return any(all(_OPS[op](version, bound) for op, bound in comparators) for comparators in self.alternatives)


def satisfies(version, range_text):
    return version in Range(range_text)
