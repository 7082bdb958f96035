import ops


def test_tenfold():
    assert ops.tenfold(9) == 90
