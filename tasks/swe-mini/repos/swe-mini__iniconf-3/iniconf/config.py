"""The Config object: lookups with defaults, interpolation and typed getters."""
from . import values
from .errors import MissingOptionError
from .interpolate import interpolate
from .parser import parse

_MISSING = object()


class Config:
    def __init__(self, sections=None):
        self._sections = sections or {}

    @classmethod
    def from_string(cls, text):
        return cls(parse(text))

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_string(f.read())

    def sections(self):
        return list(self._sections)

    def options(self, section):
        return list(self._sections.get(section, {}))

    def has_option(self, section, option):
        return option.lower() in self._sections.get(section, {})

    def get(self, section, option, default=_MISSING, raw=False):
        try:
            value = self._sections[section][option]
        except KeyError:
            if default is not _MISSING:
                return default
            raise MissingOptionError("no option %r in section %r" % (option, section))
        return value if raw else interpolate(self._sections, section, value)

    def getint(self, section, option, default=_MISSING):
        value = self.get(section, option, default)
        return value if value is default else values.to_int(value)

    def getfloat(self, section, option, default=_MISSING):
        value = self.get(section, option, default)
        return value if value is default else values.to_float(value)

    def getboolean(self, section, option, default=_MISSING):
        value = self.get(section, option, default)
        return value if value is default else values.to_bool(value)

    def getlist(self, section, option, default=_MISSING, separator=","):
        value = self.get(section, option, default)
        return value if value is default else values.to_list(value, separator)
