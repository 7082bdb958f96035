import pytest

from datekit import format_duration, parse_duration


def test_parse():
    assert parse_duration("2h 30m") == 9000
    assert parse_duration("1d4h") == 100800
    assert parse_duration("45s") == 45


def test_parse_rejects_garbage():
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_format():
    assert format_duration(9005) == "2h 30m 5s"
    assert format_duration(65) == "1m 5s"
    assert format_duration(0) == "0s"
