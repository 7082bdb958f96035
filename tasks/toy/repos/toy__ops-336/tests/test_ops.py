import ops


def test_dec():
    assert ops.dec(3) == 2
