import arith


def test_add():
    assert arith.add(9, 4) == 13


def test_quot():
    assert arith.quot(7, 4) == 1


def test_half():
    assert arith.half(6) == 3
