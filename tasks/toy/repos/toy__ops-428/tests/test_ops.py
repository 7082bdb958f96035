import ops


def test_inc():
    assert ops.inc(8) == 9
