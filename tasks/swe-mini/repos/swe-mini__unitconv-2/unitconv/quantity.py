"""Quantities: a value with a unit, parsed from text like "5 km" or "-3.2e3 g"."""
import math
import re

from .convert import convert, to_base
from .units import lookup

_QUANTITY = re.compile(r"^\s*(\d+\.?\d*)\s*([A-Za-z°]+)\s*$")


class Quantity:
    def __init__(self, value, unit):
        self.value = float(value)
        self.unit = lookup(unit).name

    def to(self, unit):
        return Quantity(convert(self.value, self.unit, unit), unit)

    def _base(self):
        return to_base(self.value, lookup(self.unit))

    def __eq__(self, other):
        if not isinstance(other, Quantity):
            return NotImplemented
        if lookup(self.unit).dimension != lookup(other.unit).dimension:
            return False
        return math.isclose(self._base(), other._base(), rel_tol=1e-9, abs_tol=1e-12)

    def __add__(self, other):
        return Quantity(self.value + convert(other.value, other.unit, self.unit), self.unit)

    def __repr__(self):
        return "Quantity(%r, %r)" % (self.value, self.unit)

    def __str__(self):
        return "%g %s" % (self.value, self.unit)


def parse_quantity(text):
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError("cannot parse quantity %r (expected e.g. '5 km')" % text)
    return Quantity(float(match.group(1)), match.group(2))
