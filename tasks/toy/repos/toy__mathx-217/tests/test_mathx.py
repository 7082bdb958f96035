import mathx


def test_add():
    assert mathx.add(5, 3) == 8
