from textkit import shorten


def test_shorten_fits_unchanged():
    assert shorten("hello world", 20) == "hello world"


def test_shorten_collapses_spaces():
    assert shorten("hello   world", 20) == "hello world"


def test_shorten_custom_placeholder():
    assert shorten("one two three four", 12, placeholder="...") == "one two..."
