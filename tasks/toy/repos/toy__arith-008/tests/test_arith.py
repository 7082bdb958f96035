import arith


def test_tenfold():
    assert arith.tenfold(4) == 40


def test_quot():
    assert arith.quot(6, 4) == 1


def test_add():
    assert arith.add(5, 4) == 9
