import mathx


def test_square():
    assert mathx.square(9) == 81


def test_rem():
    assert mathx.rem(5, 2) == 1


def test_sub():
    assert mathx.sub(8, 2) == 6
