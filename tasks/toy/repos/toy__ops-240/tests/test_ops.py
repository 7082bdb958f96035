import ops


def test_inc():
    assert ops.inc(3) == 4
