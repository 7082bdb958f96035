import mathx


def test_half():
    assert mathx.half(4) == 2


def test_quot():
    assert mathx.quot(8, 2) == 4


def test_sub():
    assert mathx.sub(7, 4) == 3
