import mathx


def test_square():
    assert mathx.square(5) == 25


def test_rem():
    assert mathx.rem(9, 3) == 0


def test_quot():
    assert mathx.quot(9, 4) == 2
