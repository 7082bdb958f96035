import mathx


def test_add():
    assert mathx.add(9, 2) == 11
