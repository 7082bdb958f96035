import calc


def test_double():
    assert calc.double(9) == 18
