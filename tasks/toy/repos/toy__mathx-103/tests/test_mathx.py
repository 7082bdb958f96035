import mathx


def test_square():
    assert mathx.square(6) == 36
