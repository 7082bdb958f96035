import ops


def test_div():
    assert ops.div(7, 2) == 3.5


def test_add():
    assert ops.add(8, 3) == 11


def test_mul():
    assert ops.mul(5, 2) == 10
