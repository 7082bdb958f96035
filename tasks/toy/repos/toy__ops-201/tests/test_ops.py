import ops


def test_inc():
    assert ops.inc(9) == 10
