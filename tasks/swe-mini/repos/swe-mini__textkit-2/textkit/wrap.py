"""Greedy line wrapping."""
from ._words import join_words, split_words


def _chunks(word, width):
    return [word[i:i + width] for i in range(0, len(word), width)]


def wrap(text, width=70):
    """Wrap text into lines of at most `width` characters.

    Words longer than `width` are broken into pieces of `width` characters.
    """
    if width < 1:
        raise ValueError("width must be at least 1, got %r" % (width,))
    lines = []
    current = []
    length = 0
    for word in split_words(text):
        for piece in _chunks(word, width):
            extra = len(piece) if not current else len(piece) + 1
            if current and length + extra > width:
                lines.append(join_words(current))
                current = []
                length = 0
                extra = len(piece)
            current.append(piece)
            length += extra
    if current:
        lines.append(join_words(current))
    return lines


def fill(text, width=70):
    """Wrap text and join the lines with newlines."""
    return "\n".join(wrap(text, width))
