import ops


def test_div():
    assert ops.div(8, 2) == 4
