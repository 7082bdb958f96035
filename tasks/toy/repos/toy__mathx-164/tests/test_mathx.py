import mathx


def test_half():
    assert mathx.half(4) == 2
