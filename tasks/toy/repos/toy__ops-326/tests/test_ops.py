import ops


def test_div():
    assert ops.div(7, 4) == 1.75
