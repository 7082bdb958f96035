import ops


def test_tenfold():
    assert ops.tenfold(8) == 80
