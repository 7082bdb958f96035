import mathx


def test_rem():
    assert mathx.rem(6, 3) == 0


def test_quot():
    assert mathx.quot(5, 2) == 2


def test_half():
    assert mathx.half(7) == 3.5
