import ops


def test_div():
    assert ops.div(5, 2) == 2.5
