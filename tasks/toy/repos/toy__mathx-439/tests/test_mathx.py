import mathx


def test_rem():
    assert mathx.rem(5, 2) == 1
