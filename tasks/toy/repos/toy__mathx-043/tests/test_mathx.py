import mathx


def test_mul():
    assert mathx.mul(7, 4) == 28
