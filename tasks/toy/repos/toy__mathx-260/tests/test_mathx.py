import mathx


def test_add():
    assert mathx.add(6, 3) == 9
