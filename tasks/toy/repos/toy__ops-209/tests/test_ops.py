import ops


def test_quot():
    assert ops.quot(5, 2) == 2


def test_div():
    assert ops.div(5, 4) == 1.25


def test_tenfold():
    assert ops.tenfold(7) == 70
