import mathx


def test_rem():
    assert mathx.rem(8, 2) == 0
