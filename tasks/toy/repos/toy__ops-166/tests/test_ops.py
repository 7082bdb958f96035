import ops


def test_dec():
    assert ops.dec(6) == 5
