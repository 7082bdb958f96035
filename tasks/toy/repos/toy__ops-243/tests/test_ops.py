import ops


def test_tenfold():
    assert ops.tenfold(8) == 80


def test_dec():
    assert ops.dec(3) == 2


def test_sub():
    assert ops.sub(5, 2) == 3
