import ops


def test_div():
    assert ops.div(7, 2) == 3.5
