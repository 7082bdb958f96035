import mathx


def test_half():
    assert mathx.half(8) == 4
