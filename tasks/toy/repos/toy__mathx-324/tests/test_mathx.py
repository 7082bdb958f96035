import mathx


def test_add():
    assert mathx.add(8, 2) == 10
