import ops


def test_sub():
    assert ops.sub(8, 4) == 4


def test_double():
    assert ops.double(9) == 18


def test_div():
    assert ops.div(9, 2) == 4.5
