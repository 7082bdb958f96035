import ops


def test_quot():
    assert ops.quot(5, 2) == 2


def test_double():
    assert ops.double(7) == 14


def test_tenfold():
    assert ops.tenfold(7) == 70
