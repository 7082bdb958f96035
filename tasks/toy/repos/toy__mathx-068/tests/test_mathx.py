import mathx


def test_add():
    assert mathx.add(6, 4) == 10
