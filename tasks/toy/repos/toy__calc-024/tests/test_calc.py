import calc


def test_mul():
    assert calc.mul(6, 3) == 18
