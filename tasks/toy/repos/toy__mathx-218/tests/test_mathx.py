import mathx


def test_rem():
    assert mathx.rem(8, 2) == 0


def test_dec():
    assert mathx.dec(9) == 8


def test_sub():
    assert mathx.sub(7, 3) == 4
