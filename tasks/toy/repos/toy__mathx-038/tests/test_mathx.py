import mathx


def test_rem():
    assert mathx.rem(6, 2) == 0


def test_add():
    assert mathx.add(7, 2) == 9


def test_half():
    assert mathx.half(7) == 3.5
