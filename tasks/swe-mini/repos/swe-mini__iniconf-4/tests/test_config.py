import pytest

from iniconf import Config, ConfigError, MissingOptionError


def test_default_when_missing():
    cfg = Config.from_string("[a]\nx = 1\n")
    assert cfg.get("a", "y", default="d") == "d"
    assert cfg.getint("a", "y", default=5) == 5


def test_missing_option_raises():
    cfg = Config.from_string("[a]\nx = 1\n")
    with pytest.raises(MissingOptionError):
        cfg.get("a", "y")


def test_typed_getters():
    cfg = Config.from_string("[a]\nn = 0x10\nf = 2.5\nb = yes\nl = a, b ,c\n")
    assert cfg.getint("a", "n") == 16
    assert cfg.getfloat("a", "f") == 2.5
    assert cfg.getboolean("a", "b") is True
    assert cfg.getlist("a", "l") == ["a", "b", "c"]


def test_bad_boolean():
    cfg = Config.from_string("[a]\nb = maybe\n")
    with pytest.raises(ConfigError):
        cfg.getboolean("a", "b")


def test_interpolation_same_section():
    cfg = Config.from_string("[p]\nroot = /srv\nlogs = ${root}/logs\n")
    assert cfg.get("p", "logs") == "/srv/logs"
    assert cfg.get("p", "logs", raw=True) == "${root}/logs"


def test_interpolation_cycle():
    cfg = Config.from_string("[p]\na = ${b}\nb = ${a}\n")
    with pytest.raises(ConfigError):
        cfg.get("p", "a")
