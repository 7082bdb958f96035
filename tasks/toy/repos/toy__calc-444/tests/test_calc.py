import calc


def test_double():
    assert calc.double(3) == 6
