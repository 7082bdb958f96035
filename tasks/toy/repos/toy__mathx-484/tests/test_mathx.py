import mathx


def test_add():
    assert mathx.add(6, 2) == 8
