import mathx


def test_sub():
    assert mathx.sub(5, 3) == 2
