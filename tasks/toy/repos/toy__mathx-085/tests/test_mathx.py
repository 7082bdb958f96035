import mathx


def test_mul():
    assert mathx.mul(8, 2) == 16
