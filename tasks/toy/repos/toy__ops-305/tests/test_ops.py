import ops


def test_add():
    assert ops.add(8, 4) == 12
