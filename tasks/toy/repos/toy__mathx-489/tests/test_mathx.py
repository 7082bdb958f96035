import mathx


def test_sub():
    assert mathx.sub(8, 4) == 4
