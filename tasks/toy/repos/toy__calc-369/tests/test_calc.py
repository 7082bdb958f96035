import calc


def test_double():
    assert calc.double(8) == 16
