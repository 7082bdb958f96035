import ops


def test_sub():
    assert ops.sub(9, 4) == 5


def test_tenfold():
    assert ops.tenfold(3) == 30


def test_double():
    assert ops.double(8) == 16
