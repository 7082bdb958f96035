import ops


def test_div():
    assert ops.div(5, 2) == 2.5


def test_square():
    assert ops.square(3) == 9


def test_double():
    assert ops.double(3) == 6
