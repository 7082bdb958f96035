import pytest

from semverlite import Version


def test_parse_and_str():
    v = Version.parse("1.2.3-rc.1+build.5")
    assert (v.major, v.minor, v.patch) == (1, 2, 3)
    assert v.prerelease == ("rc", "1")
    assert str(v) == "1.2.3-rc.1+build.5"


def test_invalid():
    with pytest.raises(ValueError):
        Version.parse("1.2")
    with pytest.raises(ValueError):
        Version.parse("01.2.3")


def test_core_ordering():
    assert Version.parse("1.2.3") < Version.parse("1.10.0")
    assert Version.parse("2.0.0") > Version.parse("1.99.99")


def test_prerelease_identifiers():
    assert Version.parse("1.0.0-alpha") < Version.parse("1.0.0-beta")
    assert Version.parse("1.0.0-alpha") < Version.parse("1.0.0-alpha.1")


def test_bump_major_and_patch():
    assert str(Version.parse("1.2.3").bump("major")) == "2.0.0"
    assert str(Version.parse("1.2.3").bump("patch")) == "1.2.4"
