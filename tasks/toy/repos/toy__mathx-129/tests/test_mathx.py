import mathx


def test_rem():
    assert mathx.rem(7, 4) == 3
