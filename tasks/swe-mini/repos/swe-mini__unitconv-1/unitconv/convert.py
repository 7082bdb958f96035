"""Convert values between units of the same dimension."""
from .errors import IncompatibleUnits
from .units import lookup


def to_base(value, unit):
    return value * unit.factor + unit.offset


def from_base(value, unit):
    return value / unit.factor - unit.offset


def convert(value, source, target):
    src, dst = lookup(source), lookup(target)
    if src.dimension != dst.dimension:
        raise IncompatibleUnits("cannot convert %s (%s) to %s (%s)" % (src.name, src.dimension, dst.name, dst.dimension))
    return from_base(to_base(value, src), dst)
