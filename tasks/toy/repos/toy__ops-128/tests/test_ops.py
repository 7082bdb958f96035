import ops


def test_div():
    assert ops.div(5, 4) == 1.25
