import ops


def test_add():
    assert ops.add(9, 3) == 12
