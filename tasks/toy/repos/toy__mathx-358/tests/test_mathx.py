import mathx


def test_square():
    assert mathx.square(3) == 9
