"""Typed conversion of raw option values."""
from .errors import ConfigError

_BOOLEANS = {
    "1": True, "yes": True, "true": True, "on": True,
    "0": False, "no": False, "false": False, "off": False,
}


def to_int(value):
    try:
        return int(value.strip(), 0)
    except ValueError:
        raise ConfigError("not an integer: %r" % value)


def to_float(value):
    try:
        return float(value)
    except ValueError:
        raise ConfigError("not a number: %r" % value)


def to_bool(value):
    try:
        return _BOOLEANS[value.strip().lower()]
    except KeyError:
        raise ConfigError("not a boolean: %r" % value)


def to_list(value, separator=","):
    """Split on the separator (or on newlines for multi-line values); empty items are dropped."""
    if "\n" in value:
        items = value.split("\n")
    else:
        items = value.split(separator)
    return [item.strip() for item in items if item.strip()]
