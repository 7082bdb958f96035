import arith


def test_sub():
    assert arith.sub(8, 4) == 4


def test_double():
    assert arith.double(5) == 10


def test_add():
    assert arith.add(7, 3) == 10
