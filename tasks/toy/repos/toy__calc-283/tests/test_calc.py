import calc


def test_mul():
    assert calc.mul(8, 4) == 32
