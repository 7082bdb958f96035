import pytest

from iniconf import Config, ParseError

TEXT = """
# a comment
[server]
host = example.org
port: 8080

[paths]
root = /srv
"""


def test_sections_and_options():
    cfg = Config.from_string(TEXT)
    assert cfg.sections() == ["server", "paths"]
    assert cfg.get("server", "host") == "example.org"
    assert cfg.get("server", "port") == "8080"


def test_hash_inline_comment():
    cfg = Config.from_string("[a]\nx = 1 # one\n")
    assert cfg.get("a", "x") == "1"


def test_hash_inside_value_is_kept():
    cfg = Config.from_string("[a]\ncolor = #ff0000\n")
    assert cfg.get("a", "color") == "#ff0000"


def test_option_outside_section():
    with pytest.raises(ParseError):
        Config.from_string("x = 1\n")


def test_unterminated_header():
    with pytest.raises(ParseError):
        Config.from_string("[a\n")
