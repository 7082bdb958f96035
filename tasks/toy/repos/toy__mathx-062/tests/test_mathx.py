import mathx


def test_half():
    assert mathx.half(3) == 1.5
