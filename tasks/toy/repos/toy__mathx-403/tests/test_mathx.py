import mathx


def test_sub():
    assert mathx.sub(5, 2) == 3
