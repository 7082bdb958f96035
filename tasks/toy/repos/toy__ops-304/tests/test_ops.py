import ops


def test_add():
    assert ops.add(6, 2) == 8
