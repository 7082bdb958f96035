import mathx


def test_mul():
    assert mathx.mul(9, 4) == 36
