import ops


def test_add():
    assert ops.add(5, 3) == 8
