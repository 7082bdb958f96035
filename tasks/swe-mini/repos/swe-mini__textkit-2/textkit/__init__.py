"""Small text utilities."""
from .case import camel_case, slugify, snake_case
from .indent import dedent, indent
from .shorten import shorten
from .wrap import fill, wrap

__all__ = ["wrap", "fill", "shorten", "dedent", "indent", "snake_case", "camel_case", "slugify"]
