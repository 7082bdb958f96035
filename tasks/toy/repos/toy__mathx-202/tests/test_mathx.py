import mathx


def test_rem():
    assert mathx.rem(6, 3) == 0
