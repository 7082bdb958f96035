import pytest

from exprcalc import CalcError, tokenize


def kinds(text):
    return [(k, t) for k, t, _ in tokenize(text)][:-1]


def test_numbers_and_ops():
    assert kinds("1 + 2.5") == [("number", "1"), ("op", "+"), ("number", "2.5")]


def test_power_is_one_token():
    assert kinds("2**3") == [("number", "2"), ("op", "**"), ("number", "3")]


def test_bad_character():
    with pytest.raises(CalcError) as info:
        tokenize("1 $ 2")
    assert info.value.position == 2
