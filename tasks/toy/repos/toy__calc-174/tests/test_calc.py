import calc


def test_mul():
    assert calc.mul(7, 2) == 14
