import mathx


def test_rem():
    assert mathx.rem(6, 2) == 0
