"""Guess a sample's delimiter, quote character and header."""
from .dialect import Dialect
from .errors import SniffError
from .header import has_header
from .reader import split_row

CANDIDATE_DELIMITERS = [",", ";", "\t", "|"]


def _lines(sample):
    lines = sample.splitlines()
    # A sample cut from a larger file usually ends in the middle of a line: ignore that partial line.
    if lines and not sample.endswith(("\n", "\r")) and len(lines) > 1:
        lines = lines[:-1]
    return [line for line in lines if line.strip()]


def _quotechar(lines):
    doubles = sum(line.count('"') for line in lines)
    singles = sum(line.count("'") for line in lines)
    return "'" if singles > doubles else '"'


def sniff(sample):
    lines = _lines(sample)
    if not lines:
        raise SniffError("empty sample")
    quotechar = _quotechar(lines)
    best = None
    for delimiter in CANDIDATE_DELIMITERS:
        counts = {len(split_row(line, delimiter, quotechar)) for line in lines}
        if len(counts) == 1:
            fields = counts.pop()
            if fields > 1 and (best is None or fields > best[1]):
                best = (delimiter, fields)
    if best is None:
        raise SniffError("could not determine the delimiter: no candidate splits every line into the same number of fields")
    delimiter = best[0]
    rows = [split_row(line, delimiter, quotechar) for line in lines]
    return Dialect(delimiter, quotechar, has_header(rows))
