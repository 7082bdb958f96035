import pytest

from exprcalc import CalcError, evaluate


def test_precedence():
    assert evaluate("1 + 2 * 3") == 7
    assert evaluate("(1 + 2) * 3") == 9


def test_variables():
    assert evaluate("2 * (x + 1) ** 2", {"x": 3}) == 32


def test_functions():
    assert evaluate("max(1, 5, 3)") == 5
    assert evaluate("sqrt(16)") == 4.0


def test_unary_minus():
    assert evaluate("-3 + 5") == 2
    assert evaluate("2 * -3") == -6


def test_unknown_variable():
    with pytest.raises(CalcError):
        evaluate("y + 1")


def test_division_by_zero():
    with pytest.raises(CalcError):
        evaluate("1 / 0")


def test_trailing_garbage():
    with pytest.raises(CalcError):
        evaluate("1 2")
