import mathx


def test_mul():
    assert mathx.mul(7, 2) == 14
