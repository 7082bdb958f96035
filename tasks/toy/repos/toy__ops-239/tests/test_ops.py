import ops


def test_dec():
    assert ops.dec(9) == 8
