import calc


def test_mul():
    assert calc.mul(5, 2) == 10
