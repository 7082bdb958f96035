import arith


def test_add():
    assert arith.add(6, 4) == 10


def test_dec():
    assert arith.dec(6) == 5


def test_quot():
    assert arith.quot(9, 3) == 3
