import pytest

from unitconv import Quantity, parse_quantity


def test_parse():
    q = parse_quantity("5 km")
    assert (q.value, q.unit) == (5.0, "km")
    assert parse_quantity("2.5kg").unit == "kg"


def test_parse_rejects_garbage():
    with pytest.raises(ValueError):
        parse_quantity("five km")


def test_to():
    assert parse_quantity("1500 m").to("km").value == pytest.approx(1.5)


def test_add_converts():
    total = Quantity(1, "km") + Quantity(500, "m")
    assert total.unit == "km"
    assert total.value == pytest.approx(1.5)


def test_str():
    assert str(Quantity(2.5, "kg")) == "2.5 kg"
