import mathx


def test_rem():
    assert mathx.rem(6, 4) == 2
