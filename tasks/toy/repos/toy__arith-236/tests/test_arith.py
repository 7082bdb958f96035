import arith


def test_quot():
    assert arith.quot(6, 4) == 1


def test_div():
    assert arith.div(8, 2) == 4


def test_add():
    assert arith.add(6, 2) == 8
