import mathx


def test_mul():
    assert mathx.mul(6, 4) == 24
