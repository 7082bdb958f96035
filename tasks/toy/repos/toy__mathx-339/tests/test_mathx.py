import mathx


def test_add():
    assert mathx.add(5, 2) == 7
