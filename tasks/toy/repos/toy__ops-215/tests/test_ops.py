import ops


def test_inc():
    assert ops.inc(6) == 7
