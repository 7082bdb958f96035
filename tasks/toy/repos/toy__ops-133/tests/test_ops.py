import ops


def test_inc():
    assert ops.inc(7) == 8
