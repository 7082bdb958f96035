import ops


def test_div():
    assert ops.div(9, 2) == 4.5
