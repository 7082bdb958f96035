import mathx


def test_square():
    assert mathx.square(5) == 25
