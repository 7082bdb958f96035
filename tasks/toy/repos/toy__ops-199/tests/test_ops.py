import ops


def test_double():
    assert ops.double(5) == 10


def test_square():
    assert ops.square(9) == 81


def test_sub():
    assert ops.sub(7, 3) == 4
