import pytest

from textkit import fill, wrap


def test_wrap_short_text_is_one_line():
    assert wrap("hello world", 20) == ["hello world"]


def test_wrap_breaks_between_words():
    assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]


def test_wrap_long_word_is_split():
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_wrap_empty():
    assert wrap("", 10) == []


def test_wrap_rejects_zero_width():
    with pytest.raises(ValueError):
        wrap("a", 0)


def test_fill_joins_lines():
    assert fill("one two three", 8) == "one two\nthree"
