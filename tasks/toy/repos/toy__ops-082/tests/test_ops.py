import ops


def test_power():
    assert ops.power(6, 3) == 216


def test_quot():
    assert ops.quot(6, 2) == 3


def test_tenfold():
    assert ops.tenfold(5) == 50
