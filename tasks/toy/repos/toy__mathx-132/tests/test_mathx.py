import mathx


def test_sub():
    assert mathx.sub(6, 4) == 2
