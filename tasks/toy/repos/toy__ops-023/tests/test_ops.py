import ops


def test_div():
    assert ops.div(6, 4) == 1.5
