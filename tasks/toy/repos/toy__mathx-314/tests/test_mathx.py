import mathx


def test_sub():
    assert mathx.sub(7, 3) == 4
