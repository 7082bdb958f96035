import ops


def test_mul():
    assert ops.mul(9, 2) == 18


def test_tenfold():
    assert ops.tenfold(7) == 70


def test_div():
    assert ops.div(8, 2) == 4
