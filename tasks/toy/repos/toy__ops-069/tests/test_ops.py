import ops


def test_tenfold():
    assert ops.tenfold(9) == 90


def test_power():
    assert ops.power(9, 3) == 729


def test_sub():
    assert ops.sub(5, 4) == 1
