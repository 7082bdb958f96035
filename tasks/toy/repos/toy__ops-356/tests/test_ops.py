import ops


def test_div():
    assert ops.div(6, 2) == 3
