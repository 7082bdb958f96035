import ops


def test_div():
    assert ops.div(9, 4) == 2.25
