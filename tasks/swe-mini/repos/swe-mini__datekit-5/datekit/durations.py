"""Human-readable durations such as "1d 2h 30m 15s"."""
import re

_UNITS = [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)]
_SECONDS = dict(_UNITS)
_PART = re.compile(r"(\d+)\s*([dhms])")


def parse_duration(text):
    """Parse "2h 30m", "1d4h", "45s" into seconds."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty duration")
    pos = 0
    total = 0
    for match in _PART.finditer(text):
        if text[pos:match.start()].strip():
            raise ValueError("cannot parse duration %r" % text)
        total += int(match.group(1)) * _SECONDS[match.group(2)]
        pos = match.end()
    if pos == 0:
        raise ValueError("cannot parse duration %r" % text)
    return total


def format_duration(seconds):
    """Format seconds as "1d 2h 3m 4s", leaving out zero parts; 0 is "0s"."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    parts = []
    for name, size in _UNITS:
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append("%d%s" % (amount, name))
    return " ".join(parts) or "0s"
