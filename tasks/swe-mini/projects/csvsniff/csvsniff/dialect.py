from collections import namedtuple

Dialect = namedtuple("Dialect", "delimiter quotechar has_header")
Dialect.__new__.__defaults__ = ('"', False)
