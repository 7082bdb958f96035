"""A small INI configuration reader."""
from .config import Config
from .errors import ConfigError, MissingOptionError, ParseError

__all__ = ["Config", "ConfigError", "MissingOptionError", "ParseError"]
