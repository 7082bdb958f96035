import arith


def test_power():
    assert arith.power(5, 3) == 125


def test_sub():
    assert arith.sub(9, 4) == 5


def test_add():
    assert arith.add(6, 3) == 9
