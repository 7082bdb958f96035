import mathx


def test_half():
    assert mathx.half(6) == 3
