"""The unit registry: name -> Unit(dimension, factor, offset) relative to the dimension's base unit.

A value v in a unit is  v * factor + offset  in the base unit (metre, kilogram, second, kelvin).
"""
from collections import namedtuple

from .errors import UnknownUnit

Unit = namedtuple("Unit", "name dimension factor offset")

_UNITS = {}
_ALIASES = {}


def _define(name, dimension, factor, offset=0.0, aliases=()):
    _UNITS[name] = Unit(name, dimension, factor, offset)
    for alias in aliases:
        _ALIASES[alias] = name


_define("m", "length", 1.0, aliases=("metre", "meter", "metres", "meters"))
_define("km", "length", 1000.0, aliases=("kilometre", "kilometer", "kilometres", "kilometers"))
_define("cm", "length", 0.01)
_define("mm", "length", 0.001)
_define("mi", "length", 1609.344, aliases=("mile", "miles"))
_define("ft", "length", 0.3048, aliases=("foot", "feet"))
_define("in", "length", 0.0254, aliases=("inch", "inches"))
_define("kg", "mass", 1.0, aliases=("kilogram", "kilograms"))
_define("g", "mass", 0.001, aliases=("gram", "grams"))
_define("lb", "mass", 0.45359237, aliases=("pound", "pounds", "lbs"))
_define("s", "time", 1.0, aliases=("sec", "second", "seconds"))
_define("min", "time", 60.0, aliases=("minute", "minutes"))
_define("h", "time", 3600.0, aliases=("hour", "hours"))
_define("K", "temperature", 1.0, aliases=("kelvin",))
_define("degC", "temperature", 1.0, 273.15, aliases=("°C", "celsius"))
_define("degF", "temperature", 5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0, aliases=("°F", "fahrenheit"))


def lookup(name):
    name = name.strip()
    unit = _UNITS.get(name) or _UNITS.get(_ALIASES.get(name, ""))
    if unit is None:
        raise UnknownUnit("unknown unit %r" % name)
    return unit
