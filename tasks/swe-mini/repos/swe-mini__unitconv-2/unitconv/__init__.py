"""Unit conversion."""
from .convert import convert
from .errors import IncompatibleUnits, UnknownUnit
from .quantity import Quantity, parse_quantity
from .units import lookup

__all__ = ["convert", "lookup", "Quantity", "parse_quantity", "IncompatibleUnits", "UnknownUnit"]
