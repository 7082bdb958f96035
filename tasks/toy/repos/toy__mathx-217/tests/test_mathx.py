import mathx


def test_quot():
    assert mathx.quot(5, 3) == 1


def test_rem():
    assert mathx.rem(5, 2) == 1


def test_half():
    assert mathx.half(7) == 3.5
