import ops


def test_add():
    assert ops.add(9, 4) == 13
