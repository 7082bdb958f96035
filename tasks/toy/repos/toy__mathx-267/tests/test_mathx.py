import mathx


def test_half():
    assert mathx.half(9) == 4.5
