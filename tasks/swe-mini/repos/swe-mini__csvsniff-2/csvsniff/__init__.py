"""CSV dialect sniffing and reading."""
from .dialect import Dialect
from .errors import SniffError
from .reader import read_rows, split_row
from .sniffer import sniff

__all__ = ["Dialect", "SniffError", "sniff", "read_rows", "split_row"]
