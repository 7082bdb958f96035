import mathx


def test_rem():
    assert mathx.rem(9, 4) == 1
