import mathx


def test_add():
    assert mathx.add(7, 4) == 11
