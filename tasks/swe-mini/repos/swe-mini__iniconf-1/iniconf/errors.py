class ConfigError(Exception):
    """Base class of iniconf errors."""


class ParseError(ConfigError):
    def __init__(self, lineno, message):
        super().__init__("line %d: %s" % (lineno, message))
        self.lineno = lineno


class MissingOptionError(ConfigError, KeyError):
    pass
