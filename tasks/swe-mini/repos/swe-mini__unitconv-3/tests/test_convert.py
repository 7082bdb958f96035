import pytest

from unitconv import UnknownUnit, convert


def test_length():
    assert convert(5, "km", "m") == 5000
    assert convert(1, "mi", "km") == pytest.approx(1.609344)
    assert convert(12, "in", "ft") == pytest.approx(1.0)


def test_aliases():
    assert convert(2, "kilometers", "meters") == 2000


def test_mass_and_time():
    assert convert(1, "lb", "g") == pytest.approx(453.59237)
    assert convert(90, "min", "h") == 1.5


def test_celsius_kelvin():
    assert convert(0, "degC", "K") == pytest.approx(273.15)
    assert convert(300, "K", "degC") == pytest.approx(26.85)


def test_unknown_unit():
    with pytest.raises(UnknownUnit):
        convert(1, "parsec", "m")
