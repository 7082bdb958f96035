"""Semantic versions and ranges."""
from .ranges import Range, satisfies
from .version import Version

__all__ = ["Version", "Range", "satisfies"]
