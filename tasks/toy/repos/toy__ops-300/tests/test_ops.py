import ops


def test_inc():
    assert ops.inc(4) == 5
