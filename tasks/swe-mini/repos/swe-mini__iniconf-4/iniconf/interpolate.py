"""${section:key} and ${key} references inside values."""
import re

from .errors import ConfigError

_REF = re.compile(r"\$\{(?:([^}:]+):)?([^}]+)\}")
MAX_DEPTH = 10


def interpolate(sections, section, value, depth=0):
    if depth > MAX_DEPTH:
        raise ConfigError("interpolation too deep (a reference cycle?) in %r" % value)

    def replace(match):
        ref_section = match.group(1) or section
        ref_key = match.group(2).strip().lower()
        try:
            raw = sections[ref_section][ref_key]
        except KeyError:
            raise ConfigError("bad reference ${%s} in section %r" % (match.group(0)[2:-1], section))
        return interpolate(sections, ref_section, raw, depth + 1)

    return _REF.sub(replace, value)
