import ops


def test_add():
    assert ops.add(7, 4) == 11
