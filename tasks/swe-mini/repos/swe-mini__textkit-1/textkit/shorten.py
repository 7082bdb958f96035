"""Shorten text to fit a width, marking the cut with a placeholder."""
from ._words import join_words, split_words


def shorten(text, width, placeholder=" [...]"):
    """Collapse whitespace and truncate text to at most `width` characters.

    Whole words are kept; when words are dropped the placeholder is appended and the
    result, placeholder included, is never longer than `width`.
    """
    words = split_words(text)
    collapsed = join_words(words)
    if len(collapsed) <= width:
        return collapsed
    if len(placeholder.lstrip()) > width:
        raise ValueError("placeholder too large for max width")
    kept = []
    length = 0
    for word in words:
        extra = len(word) if not kept else len(word) + 1
        if length + extra + len(placeholder) > width:
            break
        kept.append(word)
        length += extra
    if not kept:
        return placeholder.lstrip()
    return join_words(kept) + placeholder
