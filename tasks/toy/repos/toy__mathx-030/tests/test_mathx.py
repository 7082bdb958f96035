import mathx


def test_square():
    assert mathx.square(9) == 81
