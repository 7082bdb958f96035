import ops


def test_add():
    assert ops.add(6, 3) == 9
