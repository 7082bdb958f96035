import mathx


def test_square():
    assert mathx.square(8) == 64
