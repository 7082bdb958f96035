import mathx


def test_rem():
    assert mathx.rem(5, 3) == 2
